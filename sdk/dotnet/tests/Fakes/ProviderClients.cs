using System.ClientModel;
using System.ClientModel.Primitives;
using Anthropic;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Responses;

namespace LlmMonitor.Client.Tests.Fakes;

/// <summary>The official OpenAI and Anthropic .NET clients, pointed at the fake server through the monitoring handler.</summary>
public static class ProviderClients
{
    public static ChatClient Chat(FakeProviderServer server, LlmMonitorClient monitor, string model) =>
        new(model, new ApiKeyCredential("sk-test"), new OpenAIClientOptions
        {
            Endpoint = new Uri(server.BaseAddress, "v1"),
            Transport = new HttpClientPipelineTransport(new HttpClient(monitor.CreateHandler())),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

    public static ResponsesClient Responses(FakeProviderServer server, LlmMonitorClient monitor) =>
        new(new ApiKeyCredential("sk-test"), new ResponsesClientOptions
        {
            Endpoint = new Uri(server.BaseAddress, "v1"),
            Transport = new HttpClientPipelineTransport(new HttpClient(monitor.CreateHandler())),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

    public static AnthropicClient Anthropic(FakeProviderServer server, LlmMonitorClient monitor) => new()
    {
        ApiKey = "sk-ant-test",
        BaseUrl = server.BaseAddress.ToString().TrimEnd('/'),
        HttpClient = new HttpClient(monitor.CreateHandler()),
        MaxRetries = 0,
    };
}
