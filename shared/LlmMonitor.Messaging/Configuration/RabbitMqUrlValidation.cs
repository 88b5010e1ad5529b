using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LlmMonitor.Configuration;

/// <summary>
/// RABBITMQ_URL is checked when the service starts (MonitorOptions are validated on start): a malformed URI or list
/// stops the service with the reason, instead of a bus that never connects.
/// </summary>
public sealed class RabbitMqUrlValidation : IValidateOptions<MonitorOptions>
{
    public ValidateOptionsResult Validate(string? name, MonitorOptions options)
    {
        try
        {
            RabbitMqEndpoint.Parse(options.RabbitMqUrl);
            return ValidateOptionsResult.Success;
        }
        catch (FormatException e)
        {
            return ValidateOptionsResult.Fail(e.Message.StartsWith("RABBITMQ_URL", StringComparison.Ordinal) ? e.Message : $"RABBITMQ_URL: {e.Message}");
        }
    }
}

public static class RabbitMqUrlValidationRegistration
{
    public static IServiceCollection AddRabbitMqUrlValidation(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MonitorOptions>, RabbitMqUrlValidation>());
        return services;
    }
}
