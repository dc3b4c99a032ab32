"""The command line's parts: argument types (:mod:`.args`), and one module per group of
subcommands, each with ``add_parsers(commands)`` and its handlers (:mod:`.scenarios`,
:mod:`.timelines`). :mod:`bioanchors.cli` assembles them and runs one.
"""
