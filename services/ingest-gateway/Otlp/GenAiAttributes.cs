namespace LlmMonitor.IngestGateway.Otlp;

/// <summary>The OpenTelemetry GenAI semantic-convention attributes that LLM Monitor reads.</summary>
public static class GenAiAttributes
{
    public const string Prefix = "gen_ai.";
    public const string OperationName = "gen_ai.operation.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string ResponseModel = "gen_ai.response.model";
    public const string ProviderName = "gen_ai.provider.name";
    public const string System = "gen_ai.system";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string PromptTokens = "gen_ai.usage.prompt_tokens";
    public const string CompletionTokens = "gen_ai.usage.completion_tokens";
    public const string CacheReadInputTokens = "gen_ai.usage.cache_read.input_tokens";
    public const string CacheWriteInputTokens = "gen_ai.usage.cache_write.input_tokens";
    public const string CacheCreationInputTokens = "gen_ai.usage.cache_creation.input_tokens";
    public const string ReasoningOutputTokens = "gen_ai.usage.reasoning.output_tokens";
    public const string ConversationId = "gen_ai.conversation.id";
    public const string InputMessages = "gen_ai.input.messages";
    public const string OutputMessages = "gen_ai.output.messages";
    public const string Prompt = "gen_ai.prompt";
    public const string Completion = "gen_ai.completion";
    public const string ErrorType = "error.type";
    public const string ServiceName = "service.name";
    public const string DeploymentEnvironmentName = "deployment.environment.name";
    public const string DeploymentEnvironment = "deployment.environment";
    public const string UserId = "user.id";
    public const string EndUserId = "enduser.id";

    /// <summary>Span or resource attributes <c>llm_monitor.tag.&lt;key&gt;</c> become the tag <c>&lt;key&gt;</c>.</summary>
    public const string TagPrefix = "llm_monitor.tag.";

    /// <summary>
    /// Operations that are not one model call: an agent or workflow span usually sums the usage of the chat spans
    /// inside it, and a tool span has none. Recording them would count the same tokens twice.
    /// </summary>
    public static readonly IReadOnlySet<string> NotModelCalls = new HashSet<string>(StringComparer.Ordinal)
    {
        "execute_tool", "create_agent", "invoke_agent", "invoke_workflow",
    };
}
