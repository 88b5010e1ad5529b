namespace LlmMonitor.WebUi.Tests.Infrastructure;

public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: whatever this test assembly was built as, so the web-ui matches it.</summary>
    public static string Configuration { get; } =
        Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))) is var c && c is "Debug" or "Release" ? c : "Debug";

    public static string WebUiDll => Path.Combine(Root, "services", "web-ui", "bin", Configuration, "net10.0", "LlmMonitor.WebUi.dll");

    /// <summary>Screenshots go under TestResults/ at the repository root (CI keeps that folder).</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(Root, "TestResults", "screenshots")).FullName;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LlmMonitor.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LlmMonitor.slnx not found above " + AppContext.BaseDirectory);
    }
}
