"""The plan: RHK and IKI drafted by the appraisee, copied from the last period."""
