from autofill.cli import run

run()
