"""Imported first by the briefing workers' forkserver (pipeline._BriefingPool), and by nothing else:
the workers start up as the `stmh` command does (see startup)."""

from stmh_analysis.startup import decline_slow_optional_modules

decline_slow_optional_modules()
