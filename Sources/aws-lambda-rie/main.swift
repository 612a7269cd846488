print("aws-lambda-rie")
