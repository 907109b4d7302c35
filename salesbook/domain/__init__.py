"""The domain vocabulary: each concept of the sales department defined once (pure, no I/O).

calendar   months, ISO weeks, days; the periods reports and the close speak of
money      integer fen, ratios in millionths, money text
documents  which contracts and payments count
org        role groups, who is employed when
email      e-mail addresses as typed into 人员 and 参数
"""
