namespace LlmMonitor.IntegrationTests.Infrastructure;

public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: whatever this test assembly was built as, so the services match it.</summary>
    public static string Configuration { get; } =
        Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))) is var c && c is "Debug" or "Release" ? c : "Debug";

    public static string ServiceDll(string folder, string assembly) =>
        Path.Combine(Root, "services", folder, "bin", Configuration, "net10.0", assembly + ".dll");

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
