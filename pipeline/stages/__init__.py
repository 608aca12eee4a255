"""The stages, in the order pipeline/run.py composes them (STAGES there is the one list):

    parse -> layout -> tables -> segment -> tag -> extract -> validate -> export

Each sub-package or module has one public function from a pydantic model to the next.
"""
