"""The ``sidedoor`` commands, one module per group of commands.

Each module defines click commands and lists them in ``COMMANDS``; sidedoor/cli.py registers
the modules named in its ``COMMAND_MODULES``. A module imports only click and
sidedoor.console at the top and everything else inside its commands, so `sidedoor --help`
stays fast (bench/startup.py).
"""
