using System.Globalization;
using TicketAspire.AppHost.Extensions;

namespace TicketAspire.AppHost.Deploy;

/// <summary>
/// The configuration a cell file gives its services, as environment variables: the same keys and values a local run
/// sets (<see cref="CellExtensions.AddJurisdictionCell"/>), here for the Kubernetes ConfigMaps <c>cell</c> and
/// <c>cell-resellers</c>. Secrets are not configuration: they are referenced from Secrets by the manifests.
/// </summary>
public static class CellConfiguration
{
    /// <summary>Cell id, jurisdiction, currency and rules; fee plans; each reseller's hold limits and fees; request budgets.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Shared(CellFile cell)
    {
        var env = new List<KeyValuePair<string, string>>();
        void Add(string key, string value) => env.Add(new(key, value));
        static string I(long value) => value.ToString(CultureInfo.InvariantCulture);

        Add("Cell__Id", cell.Id);
        Add("Cell__Jurisdiction", cell.Jurisdiction);
        Add("Cell__Currency", cell.Currency);
        Add("Cell__Development", cell.Development.ToString());
        if (cell.Rules is { } rules)
        {
            Add("CellRules__ResaleAllowed", rules.ResaleAllowed.ToString());
            Add("CellRules__ResalePriceCapPercent", I(rules.ResalePriceCapPercent));
            Add("CellRules__DynamicPricingAllowed", rules.DynamicPricingAllowed.ToString());
            Add("CellRules__DynamicPriceMinPercent", I(rules.DynamicPriceMinPercent));
            Add("CellRules__DynamicPriceMaxPercent", I(rules.DynamicPriceMaxPercent));
            Add("CellRules__TransfersAllowed", rules.TransfersAllowed.ToString());
            Add("CellRules__GuestCheckout", rules.GuestCheckout.ToString());
            Add("CellRules__DataRetentionDays", I(rules.DataRetentionDays));
            Add("CellRules__TaxRatePercent", rules.TaxRatePercent.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (prefix, fees) in cell.Resellers.Select(r => ($"Resellers__{r.Id}__Fees__", r.Fees)).Prepend(("Fees__", cell.Fees)))
        {
            foreach (var (key, value) in fees?.Settings() ?? [])
            {
                Add(prefix + key, value);
            }
        }

        foreach (var reseller in cell.Resellers.Where(r => r.Holds is not null))
        {
            var prefix = $"Resellers__{reseller.Id}__HoldOptions__";
            var holds = reseller.Holds!;
            if (holds.DefaultExpireSeconds is { } d) { Add(prefix + "DefaultExpireSeconds", I(d)); }
            if (holds.MaxExpireSeconds is { } m) { Add(prefix + "MaxExpireSeconds", I(m)); }
            if (holds.MaxSeatsPerHold is { } s) { Add(prefix + "MaxSeatsPerHold", I(s)); }
            if (holds.MaxTicketsPerCustomerPerEvent is { } t) { Add(prefix + "MaxTicketsPerCustomerPerEvent", I(t)); }
        }

        foreach (var (key, value) in CellTrustExtensions.RateLimitSettings(cell))
        {
            Add(key, value);
        }

        return env;
    }

    /// <summary>The resellers the migrator provisions: ids, names, integrator client ids, storefront redirects, hosts.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Resellers(CellFile cell)
    {
        var env = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < cell.Resellers.Count; i++)
        {
            var r = cell.Resellers[i];
            var p = $"Cell__Resellers__{i}__";
            env.Add(new(p + "Id", r.Id));
            env.Add(new(p + "Name", r.Name));
            env.Add(new(p + "IntegratorClientId", r.ClientId));
            var redirects = r.Storefront?.RedirectUris ?? [];
            for (var u = 0; u < redirects.Count; u++)
            {
                env.Add(new($"{p}StorefrontRedirectUris__{u}", redirects[u]));
            }

            var logouts = r.Storefront?.PostLogoutRedirectUris ?? [];
            for (var u = 0; u < logouts.Count; u++)
            {
                env.Add(new($"{p}StorefrontPostLogoutRedirectUris__{u}", logouts[u]));
            }

            for (var h = 0; h < r.Hosts.Count; h++)
            {
                env.Add(new($"{p}Hosts__{h}", r.Hosts[h]));
            }
        }

        return env;
    }
}
