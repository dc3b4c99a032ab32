"""The graph layer: uncertain quantities and the lazy graph they build.

Modules, bottom up: ``distributions`` (leaf distribution models), ``streams`` (random-stream
keys), ``finite`` (number checks), ``nodes`` (frozen node types and graph walks), ``refusals``
(what an uncertain value refuses), ``uncertain`` (the :class:`~bioanchors.Uncertain` class),
``functions`` (``sqrt``, ``exp``, ...), the input constructors ``shapes``, ``quantiles`` and
``combine`` (gathered in ``inputs``), and the build-time checks ``domain`` and ``checks``.
"""
