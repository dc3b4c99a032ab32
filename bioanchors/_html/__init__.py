"""The self-contained HTML report (``bioanchors report --html``), one concern per module.

:mod:`.markup` (escaping, tables, cells), :mod:`.figures` (matplotlib figures as inline,
accessible SVG), :mod:`.style` (the page's CSS, screen and print), :mod:`.sections` (the
comparison table, the forest plot, the timelines), :mod:`.scenario` (one scenario: steps,
audit, waterfall, sensitivity) and :mod:`.page` (the page around them). The public entry
points are in :mod:`bioanchors.html_report`.
"""
