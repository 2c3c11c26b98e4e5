from kai_match.data.geo.commute import CommuteEstimator as HttpRouter  # placeholder
