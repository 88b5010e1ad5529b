using Shared = LlmMonitor.IntegrationTests.Infrastructure.RepoPaths;

namespace LlmMonitor.WebUi.Tests.Infrastructure;

public static class RepoPaths
{
    public static string Root => Shared.Root;

    /// <summary>Screenshots go under TestResults/ at the repository root (CI keeps that folder).</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(Root, "TestResults", "screenshots")).FullName;
}
