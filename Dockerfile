# One image recipe for the four services; docker-compose.yml passes which one.
#   docker build --build-arg SERVICE=ingest-gateway --build-arg PROJECT=IngestGateway \
#                --build-arg ASSEMBLY=LlmMonitor.IngestGateway --build-arg PORT=8000 -t llm-monitor/ingest-gateway .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG SERVICE
ARG PROJECT
# The SDK's own usage telemetry stays off while the image is built.
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1
WORKDIR /src
COPY . .
RUN dotnet publish "services/${SERVICE}/${PROJECT}.csproj" -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
ARG ASSEMBLY
ARG PORT
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:${PORT} \
    SERVICE_ASSEMBLY=${ASSEMBLY}.dll
EXPOSE ${PORT}
ENTRYPOINT ["sh", "-c", "exec dotnet \"$SERVICE_ASSEMBLY\""]
