"""The closed peer survey (survei tertutup rekan kerja/bawahan) on an appraisee's BerAKHLAK."""
