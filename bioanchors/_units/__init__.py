"""The units layer: bioanchors' one pint registry (``registry``), its strict grammar for unit
and quantity text (``text``), and the unit rules the graph applies when it combines
quantities (``arithmetic``). Below the graph: nothing here imports it.
"""
