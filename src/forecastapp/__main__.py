"""`python -m forecastapp` runs the command-line interface (the desktop app directly when that is all it asks)."""

from forecastapp.launch import main

if __name__ == "__main__":
    main()
