"""`python -m forecastapp.cli`: the command line alone (the desktop app only through its `gui` command)."""

from forecastapp.cli import main

if __name__ == "__main__":
    main()
