"""The simulated trainer's time scale: the speeds that give a job a sensible length."""

MIN_SPEED, MAX_SPEED = 0.01, 10_000.0  # a default job: 100 minutes to 6 ms
