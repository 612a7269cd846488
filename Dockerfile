# Builds the fully static aws-lambda-rie with the same script as CI, then drops it into a Lambda base image
# at the path AWS's emulator has there, so it is a drop-in ENTRYPOINT replacement.
#   docker build -t my-function-local .
#   docker run -p 9000:8080 my-function-local
FROM swift:6.1-bookworm AS build
RUN apt-get update -qq && apt-get install -y -qq libnghttp2-dev zlib1g-dev file binutils && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Scripts ./Scripts
RUN Scripts/build-release

FROM public.ecr.aws/lambda/provided:al2023
COPY --from=build /src/.build/release/aws-lambda-rie /usr/local/bin/aws-lambda-rie
COPY Examples/stream-sse/bootstrap /var/runtime/bootstrap
ENTRYPOINT ["/usr/local/bin/aws-lambda-rie"]
