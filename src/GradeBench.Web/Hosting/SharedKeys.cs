using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using GradeBench.Storage;
using GradeBench.Storage.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace GradeBench.Web.Hosting;

/// <summary>The keys that sign cookies and antiforgery tokens, kept in the database (<see cref="DataProtectionKeyStore"/>)
/// so that every node of an installation accepts what another issued and a restart signs nobody out; encrypted at rest
/// with the certificate <see cref="CertificateSetting"/> names, if any.</summary>
public static class SharedKeys
{
    public const string CertificateSetting = "GradeBench:KeyCertificate";
    public const string CertificatePasswordSetting = "GradeBench:KeyCertificatePassword";

    /// <summary>Where versions before the keys moved into the database kept them: read once, on the first start after the
    /// upgrade, and not used after.</summary>
    public const string LegacyFolderSetting = "GradeBench:KeysFolder";

    public static IServiceCollection AddSharedKeys(this IServiceCollection services, IConfiguration configuration)
    {
        // Every node must have the same application name, or none can read another's cookies.
        var protection = services.AddDataProtection().SetApplicationName("GradeBench");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider => new ConfigureOptions<KeyManagementOptions>(
            options => options.XmlRepository = new DatabaseXmlRepository(provider.GetRequiredService<DataProtectionKeyStore>())));
        if (configuration[CertificateSetting] is { Length: > 0 } path)
            protection.ProtectKeysWithCertificate(LoadCertificate(path, configuration[CertificatePasswordSetting]));
        return services;
    }

    public static bool Encrypted(IConfiguration configuration) => configuration[CertificateSetting] is { Length: > 0 };

    static X509Certificate2 LoadCertificate(string path, string? password)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new InvalidOperationException($"{CertificateSetting}: the certificate file {full} does not exist.");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(full, password);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException(
                $"{CertificateSetting}: {full} could not be read as a PFX (PKCS #12) file with {CertificatePasswordSetting}: {e.Message}", e);
        }
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"{CertificateSetting}: {full} holds no private key, which the keys are decrypted with.");
        return certificate;
    }

    /// <summary>The keys folder of an older version, if it has keys, imported while the table is still empty (the first
    /// start after the upgrade), so that nobody is signed out by the upgrade. Returns how many were imported.</summary>
    public static async Task<int> ImportLegacyFolderAsync(IServiceProvider services, IConfiguration configuration, CancellationToken ct = default)
    {
        var folder = LegacyFolder(configuration);
        var store = services.GetRequiredService<DataProtectionKeyStore>();
        // Once the table has keys the folder is not read at all: a file spoilt since cannot stop a start.
        if (!Directory.Exists(folder) || (await store.AllAsync(ct)).Count > 0) return 0;
        var elements = Directory.EnumerateFiles(folder, "*.xml").Order(StringComparer.Ordinal)
            .Select(file => (Name: Path.GetFileNameWithoutExtension(file), Xml: ReadElement(file))).ToList();
        return elements.Count > 0 && await store.ImportIfEmptyAsync(elements, ct) ? elements.Count : 0;
    }

    static string ReadElement(string file)
    {
        try
        {
            return XElement.Load(file).ToString(SaveOptions.DisableFormatting);
        }
        catch (System.Xml.XmlException e)
        {
            throw new InvalidOperationException($"{file}, line {e.LineNumber}: not a data-protection key ({e.Message}); move it out of the keys folder.", e);
        }
    }

    /// <summary>The folder an older version kept its keys in: <see cref="LegacyFolderSetting"/>, else beside an SQLite
    /// file, else <c>gradebench.keys</c> in the working directory.</summary>
    public static string LegacyFolder(IConfiguration configuration) =>
        configuration[LegacyFolderSetting] is { Length: > 0 } keys ? Path.GetFullPath(keys)
            : Database.SqliteFileOf(configuration["GradeBench:Database"] ?? "gradebench.db") is { } file ? file + ".keys"
            : Path.GetFullPath("gradebench.keys");

    /// <summary>The key manager's storage. Its interface is synchronous; it is called when the key ring is loaded or a key
    /// is made (at start, then about once a day), so waiting here on the database costs the thread pool nothing that matters.</summary>
    sealed class DatabaseXmlRepository(DataProtectionKeyStore store) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements() =>
            store.AllAsync().GetAwaiter().GetResult().Select(xml => XElement.Parse(xml)).ToList();

        public void StoreElement(XElement element, string friendlyName) =>
            store.AddAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting)).GetAwaiter().GetResult();
    }
}
