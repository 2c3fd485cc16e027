"""Stack traces: one parser per runtime, detection in noisy text, mapping onto code.

``find_traces(text)`` (:mod:`codemap.traces.detect`) finds and parses;
``trace_report(repo, text)`` (:mod:`codemap.traces.service`) also maps every
frame onto the repository's files and symbols.
"""
