"""Allow ``python -m genai_pilots``."""

from genai_pilots.cli import main

if __name__ == "__main__":
    main()
