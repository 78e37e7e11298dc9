"""The read side: selectors for dashboards and reports.

Each function is keyword-only, typed and takes a Session. Figures are computed in SQL
(GROUP BY, aggregates, window functions) and only the aggregated rows come back, so a
department dashboard never loads answer rows into Python. Permission checks live one layer
up, in training/oversight.py, which every page goes through.
"""
