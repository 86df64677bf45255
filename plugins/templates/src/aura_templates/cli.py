"""``aura templates mine|show``: learn templates into a profile, and list what a profile holds."""
import click

@click.group()
def templates() -> None:
    """Templates: mine them from messages, show what a profile holds."""
