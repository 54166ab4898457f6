"""Agreement pages: the agreement of a case and the work done from it, its PDF, the
outcome report for the referrer, and the programme's catalogue of other items."""
