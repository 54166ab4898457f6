"""Meeting pages of a case (`meetings`) and the programme's venue directory (`venues`)."""
