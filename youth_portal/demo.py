"""Stub: replaced by the demo data work."""
import click


@click.command("demo")
def demo_command():
    """Load demo data."""
