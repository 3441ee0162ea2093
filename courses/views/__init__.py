"""Views for trainees (learning) and for trainers and administrators (teaching)."""
