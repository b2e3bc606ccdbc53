"""Output: Rich for terminals, plain text when piped, machine formats. Formats, never decides."""
