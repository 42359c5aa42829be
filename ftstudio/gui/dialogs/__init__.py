"""Dialogs of the studio window: import a spreadsheet, split a dataset."""
