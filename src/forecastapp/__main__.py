"""`python -m forecastapp` runs the command-line interface."""

from forecastapp.cli import main

if __name__ == "__main__":
    main()
