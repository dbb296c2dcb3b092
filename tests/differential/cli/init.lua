init_ran = "yes"
