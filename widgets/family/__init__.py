"""The family track's model (money decisions, remittance agreement, care work, shared plan)."""
