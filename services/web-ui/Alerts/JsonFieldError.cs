using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace LlmMonitor.WebUi.Alerts;

/// <summary>
/// Turns the JSON path of a value the serializer refused ("$.channels[0].url") into the field's name and the reason:
/// a field the type does not have, or a value of the wrong type for it.
/// </summary>
public static partial class JsonFieldError
{
    public static (string Field, string Reason) Describe(Type root, string? path, JsonSerializerOptions options)
    {
        var field = (path ?? "$").TrimStart('$').TrimStart('.');
        var type = root;
        foreach (Match segment in Segments().Matches(path ?? ""))
        {
            if (segment.Groups["index"].Success)
            {
                type = Element(type) ?? type;
                continue;
            }

            var property = options.GetTypeInfo(type).Properties.FirstOrDefault(p => p.Name == segment.Groups["name"].Value);
            if (property is null)
            {
                return (field, "is not a known field");
            }

            type = property.PropertyType;
        }

        return (field.Length == 0 ? "$" : field, "must be " + Expected(type));
    }

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(string) => "a string",
            _ when type == typeof(int) || type == typeof(long) => "an integer",
            _ when type == typeof(double) || type == typeof(decimal) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when Element(type) is { } element => "an array of " + Plural(element),
            _ => "an object",
        };
    }

    private static string Plural(Type element) =>
        element == typeof(string) ? "strings" : element == typeof(int) ? "integers" : "objects";

    private static Type? Element(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : null;

    [GeneratedRegex(@"\.(?<name>[A-Za-z0-9_]+)|\['(?<name>[^']*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex Segments();
}
