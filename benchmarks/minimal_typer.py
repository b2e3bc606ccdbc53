"""Baseline: the smallest two-command Typer app, for the --help start-up comparison."""

import typer

app = typer.Typer()


@app.command()
def hello(name: str) -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


@app.command()
def bye(name: str) -> None:
    """Say bye."""
    typer.echo(f"bye {name}")


if __name__ == "__main__":
    app()
