print("qgate")
