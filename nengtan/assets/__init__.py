"""Carbon assets (issue 12), pure: the compliance account of an enterprise in the national carbon market
(:mod:`.compliance`)."""
