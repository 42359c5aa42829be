"""Lossless JSONL datasets: line index, lazy parsing, edits as data, atomic save."""
