using System.Security.Claims;
using System.Text;
using GradeBench.Core.Spans.Interchange;
using GradeBench.Storage;
using GradeBench.Storage.Export;
using GradeBench.Storage.Notes;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Accounts;
using Microsoft.AspNetCore.Http.Features;

namespace GradeBench.Web.Features.Export;

/// <summary>One downloadable export: its name (the last segment of the route and of the file name), its media type,
/// and how to write it to a response body. <see cref="WritesSynchronously"/>: some of its writes are synchronous.</summary>
public sealed record ExportKind(string Name, string ContentType, string Description, Func<IServiceProvider, long, Stream, bool, CancellationToken, Task> WriteAsync)
{
    public bool WritesSynchronously { get; init; }
}

/// <summary><c>GET /api/studies/{id}/export/{kind}</c>: a study's exports for its coordinators (and administrators), by
/// API token or sign-in cookie, streamed straight from the database to the response. Raters are refused: an export
/// names the models, which a blinded study hides from them. See docs/exports.md and docs/api.md.</summary>
public static class ExportEndpoints
{
    public static readonly IReadOnlyList<ExportKind> Kinds =
    [
        .. ExportKinds.Text.Select(k => Text(k.Name, k.ContentType, k.Description, k.Write)),
        .. ExportKinds.Notes.Select(k => new ExportKind(k.Name, k.ContentType, k.Description,
            (services, id, output, _, ct) => k.Write(services.GetRequiredService<NoteInterchangeExport>(), id, output, ct))),
        new(ExportKinds.Bundle, "application/zip", "The whole study as a bundle that imports back into the same study",
            (services, id, output, _, ct) => services.GetRequiredService<BundleExport>().WriteAsync(id, output, ct: ct))
        {
            // Closing a zip entry flushes its deflate buffer with a synchronous write (.NET 10's entry streams have no
            // asynchronous dispose of their own), which the server refuses unless the request allows it.
            WritesSynchronously = true,
        },
    ];

    static ExportKind Text(string name, string contentType, string description, Func<TextExport, long, TextWriter, CancellationToken, Task<long>> write) =>
        new(name, contentType + "; charset=utf-8", description, async (services, id, output, excel, ct) =>
        {
            await using var text = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: excel), bufferSize: 1 << 16, leaveOpen: true);
            var export = excel ? new TextExport(services.GetRequiredService<Database>(), forExcel: true) : services.GetRequiredService<TextExport>();
            await write(export, id, text, ct);
            await text.FlushAsync(ct);
        });

    public static void MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/studies/{id:long}/export/{kind}", ExportAsync)
            .RequireAuthorization(AccountServices.ApiPolicy)
            .WithTags("Export")
            .WithSummary("Downloads one of a study's exports (coordinators and administrators): " + string.Join(", ", Kinds.Select(k => k.Name)) +
                         ". ?excel=true starts a text file with a UTF-8 byte-order mark and puts an apostrophe before a CSV text cell " +
                         "that a spreadsheet would run as a formula.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    static async Task<IResult> ExportAsync(long id, string kind, bool? excel, ClaimsPrincipal user, StudyQuery studies,
        PairwiseStore pairwise, NoteSpanStore notes, HttpContext http, CancellationToken ct)
    {
        // Who may download is settled first: a rater or a stranger learns nothing, not even which kinds exist.
        var access = await studies.AccessAsync(id, user.Id(), ct);
        if (access is null && !await studies.ExistsAsync(id, ct))
            return TypedResults.Problem($"There is no study {id}.", statusCode: StatusCodes.Status404NotFound);
        if (access is not { IsCoordinator: true })
            return TypedResults.Problem("Only the study's coordinators can download its exports.", statusCode: StatusCodes.Status403Forbidden);
        var offered = Offered(await pairwise.IsPairwiseAsync(id, ct), await notes.HasLabelsAsync(id, ct), await studies.IsNoteOnlyAsync(id, ct));
        var export = offered.FirstOrDefault(k => k.Name == kind);
        if (export is null)
            return TypedResults.Problem(
                (Kinds.All(k => k.Name != kind) ? $"There is no export \"{kind}\"."
                    : ExportKinds.Notes.Any(k => k.Name == kind) ? $"There is no export \"{kind}\" of this study: it is for studies with note labels."
                    : ExportKinds.IsAboutAnswers(kind) ? $"There is no export \"{kind}\" of this study: it is for studies with answers."
                    : $"There is no export \"{kind}\" of this study: it is for side-by-side (pairwise) studies.")
                + $" Exports: {string.Join(", ", offered.Select(k => k.Name))}.", statusCode: StatusCodes.Status404NotFound);
        var slug = await studies.SlugAsync(id, ct);
        if (export.WritesSynchronously && http.Features.Get<IHttpBodyControlFeature>() is { } body) body.AllowSynchronousIO = true;
        return TypedResults.Stream(async output =>
        {
            try
            {
                await export.WriteAsync(http.RequestServices, id, output, excel == true, ct);
            }
            // A study the format cannot carry (a label brat cannot name) is refused before a byte of the file is sent.
            catch (InterchangeException e) when (!http.Response.HasStarted)
            {
                http.Response.Clear();
                await TypedResults.Problem($"The study cannot be exported as {export.Name}: {e.Message}",
                    statusCode: StatusCodes.Status422UnprocessableEntity).ExecuteAsync(http);
            }
        }, export.ContentType, DownloadName(slug, export.Name, excel == true));
    }

    /// <summary>The kinds a study offers (<see cref="ExportKinds.Offers"/>).</summary>
    public static IReadOnlyList<ExportKind> Offered(bool pairwiseStudy, bool noteLabels, bool noteOnlyStudy = false) =>
        [.. Kinds.Where(k => ExportKinds.Offers(k.Name, pairwiseStudy, noteLabels, noteOnlyStudy))];

    /// <summary>The plain and the Excel flavour of a file saved in one folder must neither overwrite nor pass for each other.</summary>
    public static string DownloadName(string? slug, string kind, bool excel) =>
        excel ? $"{slug}-{Path.GetFileNameWithoutExtension(kind)}-excel{Path.GetExtension(kind)}" : $"{slug}-{kind}";
}
