"""Import of a region's organisations and people from a CSV or XLSX file (issue 15).

files.py reads the file into rows of text, plan.py says per row what would happen, apply.py
keeps the rows between preview and confirmation and writes the plan in one transaction.
"""
