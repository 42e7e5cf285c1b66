using System.Text.Json;
using GradeBench.Core.Agreement;

namespace GradeBench.Cli.Agreement;

/// <summary>How the agreement commands write a coefficient in JSON: <c>{"value", "ci95": [lo, hi]}</c>, or
/// <c>{"value": null, "reason"}</c> with the reason in English.</summary>
static class EstimateJson
{
    public static void Write(Utf8JsonWriter json, string name, Estimate estimate)
    {
        json.WriteStartObject(name);
        if (estimate.Value is { } value)
        {
            json.WriteNumber("value", value);
            if (estimate.Ci95 is { } ci)
            {
                json.WriteStartArray("ci95");
                json.WriteNumberValue(ci.Lower);
                json.WriteNumberValue(ci.Upper);
                json.WriteEndArray();
            }
        }
        else
        {
            json.WriteNull("value");
            json.WriteString("reason", estimate.Reason?.ToString());
        }
        json.WriteEndObject();
    }
}
