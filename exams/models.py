"""Assessment records: question bank, written and oral exams.

The models arrive with the exam engine; the app exists now so the dependency
direction cms ◄ courses ◄ exams is fixed from the start.
"""
