"""Test helpers shared by every app's tests (not imported by the running application)."""
