import OWCore
import OWIdentity

/// The built-in catalog of SaaS vendors: name, billing sender domains, aliases and category.
/// The scan uses the domains to recognise invoices; licenses resolve vendors by name or alias.
/// One line per vendor: `Name | domain, domain | alias, alias | category`.
package enum Catalog {
    package struct Entry {
        package let name: String
        package let domains: [String]
        package let aliases: [String]
        package let category: String
    }

    package static var entries: [Entry] {
        table.split(separator: "\n").compactMap { line in
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmed(.whitespaces) }
            guard f.count == 4 else { return nil }
            func list(_ s: String) -> [String] { s.split(separator: ",").map { $0.trimmed(.whitespaces) }.filter { !$0.isEmpty } }
            return Entry(name: f[0], domains: list(f[1]), aliases: list(f[2]), category: f[3])
        }
    }

    /// Adds the catalog's vendors a ledger does not have yet (a new ledger: all of them); a
    /// vendor of the same name the office added itself stays as it is.
    package static func addMissing(to db: Database) throws {
        for v in entries {
            try db.run(
                "INSERT OR IGNORE INTO vendors(name, category, domains, aliases, source) VALUES (?,?,?,?, 'builtin')",
                v.name, v.category, v.domains.joined(separator: ","), v.aliases.map { $0.lowercased() }.joined(separator: ","))
        }
    }

    /// Vendors that bill by usage (cloud, API, messaging, metered monitoring), by catalog name:
    /// a license adopted from one has no seats and is never idle or reclaimable (issue 31).
    package static let usageBilled: Set<String> = [
        "amazon web services", "google cloud", "microsoft azure", "openai", "anthropic", "twilio", "cloudflare", "digitalocean",
        "heroku", "vercel", "netlify", "stripe", "sendgrid", "mailgun", "datadog", "fastly", "linode", "hetzner", "ovhcloud",
        "scaleway", "fly.io", "vonage", "snowflake", "mongodb atlas", "redis cloud", "elastic cloud", "algolia", "backblaze",
    ]

    /// Whether the vendor named is billed by usage.
    package static func isUsageBilled(_ vendor: String) -> Bool { usageBilled.contains(vendor.lowercased()) }

    package static let table = """
        Slack | slack.com | slack technologies | communication
        Zoom | zoom.us, zoom.com | zoom video | communication
        Microsoft 365 | microsoft.com, microsoftonline.com, office.com | office 365, m365, microsoft | productivity
        Google Workspace | google.com, workspace.google.com | g suite, gsuite, google apps | productivity
        Atlassian | atlassian.com | jira, confluence, bitbucket, trello | development
        GitHub | github.com | github inc | development
        GitLab | gitlab.com | gitlab inc | development
        Notion | notion.so, makenotion.com | notion labs | productivity
        Figma | figma.com | figma inc | design
        Adobe | adobe.com | adobe creative cloud, creative cloud, acrobat | design
        Canva | canva.com | canva pty | design
        Miro | miro.com | realtimeboard | collaboration
        Asana | asana.com | asana inc | project management
        Monday.com | monday.com | monday | project management
        ClickUp | clickup.com | | project management
        Linear | linear.app | | project management
        Basecamp | basecamp.com, 37signals.com | 37signals | project management
        Airtable | airtable.com | | productivity
        Dropbox | dropbox.com, dropboxmail.com | dropbox business | storage
        Box | box.com | box inc | storage
        1Password | 1password.com, agilebits.com | agilebits | security
        LastPass | lastpass.com | | security
        Bitwarden | bitwarden.com | | security
        Okta | okta.com | | security
        Auth0 | auth0.com | | security
        Cloudflare | cloudflare.com | | infrastructure
        Amazon Web Services | aws.amazon.com, amazonaws.com, amazon.com | aws, amazon web services emea | infrastructure
        Microsoft Azure | azure.com | azure | infrastructure
        Google Cloud | cloud.google.com | gcp, google cloud platform | infrastructure
        DigitalOcean | digitalocean.com | digital ocean | infrastructure
        Heroku | heroku.com | salesforce heroku | infrastructure
        Vercel | vercel.com | zeit | infrastructure
        Netlify | netlify.com | | infrastructure
        Hetzner | hetzner.com, hetzner.de | hetzner online | infrastructure
        OVHcloud | ovh.com, ovhcloud.com | ovh | infrastructure
        Linode | linode.com | akamai linode | infrastructure
        Fastly | fastly.com | | infrastructure
        Datadog | datadoghq.com | | monitoring
        New Relic | newrelic.com | | monitoring
        Sentry | sentry.io | functional software | monitoring
        PagerDuty | pagerduty.com | | monitoring
        Grafana Cloud | grafana.com | grafana labs | monitoring
        Statuspage | statuspage.io | | monitoring
        Salesforce | salesforce.com | sfdc | crm
        HubSpot | hubspot.com | | crm
        Pipedrive | pipedrive.com | | crm
        Zoho | zoho.com, zoho.eu | zoho crm, zoho one | crm
        Freshworks | freshworks.com, freshdesk.com | freshdesk, freshservice | support
        Zendesk | zendesk.com | | support
        Intercom | intercom.com, intercom.io | | support
        Help Scout | helpscout.com, helpscout.net | | support
        Mailchimp | mailchimp.com, intuit.com | intuit mailchimp | marketing
        SendGrid | sendgrid.com | twilio sendgrid | marketing
        Mailgun | mailgun.com, mailgun.net | sinch mailgun | marketing
        Brevo | brevo.com, sendinblue.com | sendinblue | marketing
        Hootsuite | hootsuite.com | | marketing
        Buffer | buffer.com | | marketing
        Semrush | semrush.com | | marketing
        Ahrefs | ahrefs.com | | marketing
        Hotjar | hotjar.com | | analytics
        Mixpanel | mixpanel.com | | analytics
        Amplitude | amplitude.com | | analytics
        Tableau | tableau.com | | analytics
        Looker Studio | looker.com | looker | analytics
        Typeform | typeform.com | | productivity
        SurveyMonkey | surveymonkey.com, momentive.ai | momentive | productivity
        Calendly | calendly.com | | productivity
        DocuSign | docusign.com, docusign.net | | legal
        Dropbox Sign | hellosign.com | hellosign | legal
        PandaDoc | pandadoc.com | | legal
        QuickBooks | quickbooks.com, intuit.com | intuit quickbooks | finance
        Xero | xero.com | | finance
        FreshBooks | freshbooks.com | | finance
        Sage | sage.com | sage business cloud | finance
        Expensify | expensify.com | | finance
        Pleo | pleo.io | | finance
        Stripe | stripe.com | | finance
        PayPal | paypal.com | | finance
        Gusto | gusto.com | | hr
        BambooHR | bamboohr.com | | hr
        Personio | personio.com, personio.de | | hr
        Rippling | rippling.com | | hr
        Deel | deel.com | | hr
        Workday | workday.com | | hr
        Lattice | lattice.com | | hr
        Loom | loom.com | | communication
        Webex | webex.com, cisco.com | cisco webex | communication
        RingCentral | ringcentral.com | | communication
        Twilio | twilio.com | | communication
        Aircall | aircall.io | | communication
        Discord | discord.com | discord nitro | communication
        Microsoft Teams | teams.microsoft.com | teams | communication
        Grammarly | grammarly.com | | productivity
        Evernote | evernote.com | | productivity
        Todoist | todoist.com, doist.com | doist | productivity
        Smartsheet | smartsheet.com | | project management
        Wrike | wrike.com | | project management
        Jira Service Management | jira.com | | support
        JetBrains | jetbrains.com | intellij, pycharm, webstorm | development
        Postman | postman.com, getpostman.com | | development
        Docker | docker.com | docker hub, docker desktop | development
        CircleCI | circleci.com | | development
        Travis CI | travis-ci.com | | development
        npm | npmjs.com | | development
        Snyk | snyk.io | | security
        Sonar | sonarsource.com, sonarcloud.io | sonarcloud, sonarqube | development
        OpenAI | openai.com | chatgpt | ai
        Anthropic | anthropic.com | claude | ai
        GitHub Copilot | copilot.github.com | copilot | ai
        Midjourney | midjourney.com | | ai
        DeepL | deepl.com | | ai
        Otter.ai | otter.ai | otter | ai
        Sketch | sketch.com | | design
        InVision | invisionapp.com | | design
        Webflow | webflow.com | | web
        WordPress.com | wordpress.com, automattic.com | automattic | web
        Squarespace | squarespace.com | | web
        Wix | wix.com | | web
        Shopify | shopify.com | | commerce
        GoDaddy | godaddy.com | | web
        Namecheap | namecheap.com | | web
        Zapier | zapier.com | | automation
        Make | make.com, integromat.com | integromat | automation
        IFTTT | ifttt.com | | automation
        Vimeo | vimeo.com | | media
        Spotify | spotify.com | spotify business | media
        Envato | envato.com | | design
        Shutterstock | shutterstock.com | | design
        Getty Images | gettyimages.com | | design
        LinkedIn | linkedin.com | linkedin premium, sales navigator | marketing
        Coursera | coursera.org | | training
        Udemy | udemy.com | udemy business | training
        TeamViewer | teamviewer.com | | it
        AnyDesk | anydesk.com | | it
        NordLayer | nordlayer.com, nordvpn.com | nordvpn | security
        Kandji | kandji.io | | it
        Jamf | jamf.com | | it
        Microsoft Visio | visio.com | | design
        Mattermost | mattermost.com | | communication
        Rocket.Chat | rocket.chat | rocketchat | communication
        Threema Work | threema.ch | threema | communication
        Pumble | pumble.com | | communication
        Chanty | chanty.com | | communication
        GoTo Meeting | goto.com, gotomeeting.com, logmein.com | gotomeeting, logmein | communication
        Whereby | whereby.com | | communication
        Zoho Cliq | cliq.zoho.com | | communication
        Dialpad | dialpad.com | | communication
        8x8 | 8x8.com | | communication
        Vonage | vonage.com | | communication
        Nextiva | nextiva.com | | communication
        Sipgate | sipgate.de, sipgate.com | | communication
        Placetel | placetel.de | | communication
        JustCall | justcall.io | | communication
        CloudTalk | cloudtalk.io | | communication
        Talkdesk | talkdesk.com | | support
        Five9 | five9.com | | support
        Salesloft | salesloft.com | | sales
        Apollo.io | apollo.io | | sales
        ZoomInfo | zoominfo.com | | sales
        Lusha | lusha.com | | sales
        Lemlist | lemlist.com | | sales
        Reply.io | reply.io | | sales
        Mailshake | mailshake.com | | sales
        Copper CRM | copper.com | prosperworks | crm
        Insightly | insightly.com | | crm
        Capsule CRM | capsulecrm.com | | crm
        Bitrix24 | bitrix24.com, bitrix24.de | | crm
        SugarCRM | sugarcrm.com | | crm
        Dynamics 365 | dynamics.com | microsoft dynamics | crm
        ActiveCampaign | activecampaign.com | | marketing
        Klaviyo | klaviyo.com | | marketing
        ConvertKit | convertkit.com, kit.com | | marketing
        Campaign Monitor | campaignmonitor.com | | marketing
        Constant Contact | constantcontact.com | | marketing
        GetResponse | getresponse.com | | marketing
        MailerLite | mailerlite.com | | marketing
        Customer.io | customer.io | | marketing
        Braze | braze.com | | marketing
        Iterable | iterable.com | | marketing
        Marketo | marketo.com | | marketing
        Pardot | pardot.com | | marketing
        Unbounce | unbounce.com | | marketing
        Leadpages | leadpages.com | | marketing
        Instapage | instapage.com | | marketing
        ClickFunnels | clickfunnels.com | | marketing
        OptinMonster | optinmonster.com | | marketing
        Sprout Social | sproutsocial.com | | marketing
        Sprinklr | sprinklr.com | | marketing
        Agorapulse | agorapulse.com | | marketing
        Brandwatch | brandwatch.com | | marketing
        Meltwater | meltwater.com | | marketing
        Moz | moz.com | moz pro | marketing
        SE Ranking | seranking.com | | marketing
        Screaming Frog | screamingfrog.co.uk | | marketing
        SpyFu | spyfu.com | | marketing
        Similarweb | similarweb.com | | marketing
        BuzzSumo | buzzsumo.com | | marketing
        Jasper AI | jasper.ai | | ai
        Copy.ai | copy.ai | | ai
        Perplexity | perplexity.ai | | ai
        Mistral AI | mistral.ai | | ai
        Cohere | cohere.com | | ai
        Hugging Face | huggingface.co | | ai
        ElevenLabs | elevenlabs.io | | ai
        Synthesia | synthesia.io | | ai
        Descript | descript.com | | ai
        Fireflies.ai | fireflies.ai | | ai
        Tabnine | tabnine.com | | ai
        Codeium | codeium.com, windsurf.com | windsurf | ai
        Pinecone | pinecone.io | | ai
        Weights & Biases | wandb.com, wandb.ai | wandb | ai
        Google Analytics | analytics.google.com | | analytics
        PostHog | posthog.com | | analytics
        Plausible Analytics | plausible.io | | analytics
        Fathom Analytics | usefathom.com | | analytics
        Matomo | matomo.org, matomo.cloud | | analytics
        FullStory | fullstory.com | | analytics
        RudderStack | rudderstack.com | | analytics
        Power BI | powerbi.com | | analytics
        Metabase | metabase.com | | analytics
        Sisense | sisense.com | | analytics
        Qlik | qlik.com | qlik sense | analytics
        ThoughtSpot | thoughtspot.com | | analytics
        Snowflake | snowflake.com | | data
        Databricks | databricks.com | | data
        Fivetran | fivetran.com | | data
        Airbyte | airbyte.com | | data
        dbt Cloud | getdbt.com | dbt labs | data
        MongoDB Atlas | mongodb.com | mongodb | data
        Redis Cloud | redis.com, redis.io | redis labs | data
        Elastic Cloud | elastic.co | elasticsearch | data
        Firebase | firebase.google.com | | data
        Algolia | algolia.com | | data
        Confluent | confluent.io | | data
        Couchbase | couchbase.com | | data
        Cockroach Labs | cockroachlabs.com | cockroachdb | data
        InfluxData | influxdata.com | influxdb | data
        Backblaze | backblaze.com | b2 cloud storage | storage
        pCloud | pcloud.com | | storage
        Tresorit | tresorit.com | | storage
        Egnyte | egnyte.com | | storage
        Citrix ShareFile | sharefile.com | sharefile | storage
        IDrive | idrive.com | | storage
        Acronis | acronis.com | | storage
        Veeam | veeam.com | | storage
        WeTransfer | wetransfer.com | | storage
        iCloud | icloud.com | icloud+ | storage
        Google One | one.google.com | | storage
        Keeper Security | keepersecurity.com | | security
        Dashlane | dashlane.com | | security
        NordPass | nordpass.com | | security
        Duo Security | duo.com, duosecurity.com | | security
        JumpCloud | jumpcloud.com | | security
        OneLogin | onelogin.com | | security
        Ping Identity | pingidentity.com | | security
        CrowdStrike | crowdstrike.com | falcon | security
        SentinelOne | sentinelone.com | | security
        Sophos | sophos.com | | security
        Malwarebytes | malwarebytes.com | | security
        ESET | eset.com | | security
        Bitdefender | bitdefender.com | | security
        Kaspersky | kaspersky.com | | security
        McAfee | mcafee.com | | security
        Avast | avast.com | | security
        Webroot | webroot.com | | security
        Trend Micro | trendmicro.com | | security
        Vanta | vanta.com | | security
        Drata | drata.com | | security
        Secureframe | secureframe.com | | security
        KnowBe4 | knowbe4.com | | security
        Tailscale | tailscale.com | | security
        ExpressVPN | expressvpn.com | | security
        Surfshark | surfshark.com | | security
        Proton VPN | protonvpn.com | | security
        Private Internet Access | privateinternetaccess.com | | security
        Perimeter 81 | perimeter81.com | | security
        Zscaler | zscaler.com | | security
        Netskope | netskope.com | | security
        GitGuardian | gitguardian.com | | security
        DigiCert | digicert.com | | security
        Sectigo | sectigo.com | | security
        Splunk | splunk.com | | monitoring
        Sumo Logic | sumologic.com | | monitoring
        Loggly | loggly.com | | monitoring
        Papertrail | papertrailapp.com | | monitoring
        Logtail | logtail.com, betterstack.com | better stack, better uptime | monitoring
        Honeycomb.io | honeycomb.io | | monitoring
        Dynatrace | dynatrace.com | | monitoring
        AppDynamics | appdynamics.com | | monitoring
        Raygun | raygun.com | | monitoring
        Rollbar | rollbar.com | | monitoring
        Bugsnag | bugsnag.com | | monitoring
        LogRocket | logrocket.com | | monitoring
        Pingdom | pingdom.com | | monitoring
        UptimeRobot | uptimerobot.com | | monitoring
        StatusCake | statuscake.com | | monitoring
        Opsgenie | opsgenie.com | | monitoring
        incident.io | incident.io | | monitoring
        Checkly | checklyhq.com | | monitoring
        Cronitor | cronitor.io | | monitoring
        SolarWinds | solarwinds.com | | monitoring
        Atera | atera.com | | it
        NinjaOne | ninjaone.com, ninjarmm.com | ninjarmm | it
        ConnectWise | connectwise.com | | it
        Kaseya | kaseya.com | | it
        ManageEngine | manageengine.com | | it
        ServiceNow | servicenow.com | | it
        Snipe-IT | snipeitapp.com | | it
        Mosyle | mosyle.com | | it
        Hexnode | hexnode.com | | it
        Addigy | addigy.com | | it
        Azure DevOps | dev.azure.com, visualstudio.com | visual studio subscription | development
        Sourcegraph | sourcegraph.com | | development
        Gitpod | gitpod.io | | development
        Replit | replit.com | | development
        CodeSandbox | codesandbox.io | | development
        Buildkite | buildkite.com | | development
        Semaphore CI | semaphoreci.com | | development
        Bitrise | bitrise.io | | development
        Codemagic | codemagic.io | | development
        AppVeyor | appveyor.com | | development
        TeamCity | teamcity.com | | development
        Octopus Deploy | octopus.com | | development
        LaunchDarkly | launchdarkly.com | | development
        Optimizely | optimizely.com | | development
        BrowserStack | browserstack.com | | development
        Sauce Labs | saucelabs.com | | development
        LambdaTest | lambdatest.com | | development
        Cypress Cloud | cypress.io | | development
        Codecov | codecov.io | | development
        Coveralls | coveralls.io | | development
        Code Climate | codeclimate.com | | development
        Codacy | codacy.com | | development
        DeepSource | deepsource.io, deepsource.com | | development
        JFrog | jfrog.com | artifactory | development
        Cloudsmith | cloudsmith.io | | development
        Terraform Cloud | hashicorp.com | hashicorp, terraform | development
        Pulumi | pulumi.com | | development
        Spacelift | spacelift.io | | development
        GitBook | gitbook.com, gitbook.io | | development
        Fly.io | fly.io | | infrastructure
        Vultr | vultr.com | | infrastructure
        Scaleway | scaleway.com | | infrastructure
        IONOS | ionos.com, ionos.de, 1und1.de | 1&1 | infrastructure
        Bluehost | bluehost.com | | infrastructure
        SiteGround | siteground.com | | infrastructure
        DreamHost | dreamhost.com | | infrastructure
        Kinsta | kinsta.com | | infrastructure
        WP Engine | wpengine.com | | infrastructure
        Akamai | akamai.com | | infrastructure
        Bunny.net | bunny.net | bunnycdn | infrastructure
        Oracle Cloud | oracle.com, oraclecloud.com | oracle | infrastructure
        IBM Cloud | ibm.com | | infrastructure
        Alibaba Cloud | alibabacloud.com | aliyun | infrastructure
        Framer | framer.com | | web
        Substack | substack.com | | web
        Elementor | elementor.com | | web
        Yoast | yoast.com | | web
        Contentful | contentful.com | | web
        Storyblok | storyblok.com | | web
        Strapi | strapi.io | | web
        Prismic | prismic.io | | web
        Hygraph | hygraph.com, graphcms.com | graphcms | web
        BigCommerce | bigcommerce.com | | commerce
        WooCommerce | woocommerce.com | | commerce
        Magento | magento.com | adobe commerce | commerce
        Ecwid | ecwid.com | | commerce
        Gumroad | gumroad.com | | commerce
        Lemon Squeezy | lemonsqueezy.com | | commerce
        Chargebee | chargebee.com | | finance
        Recurly | recurly.com | | finance
        Paddle | paddle.com | | finance
        Baremetrics | baremetrics.com | | finance
        ProfitWell | profitwell.com | | finance
        Brex | brex.com | | finance
        Spendesk | spendesk.com | | finance
        Bill.com | bill.com | | finance
        Tipalti | tipalti.com | | finance
        Wise Business | wise.com | transferwise | finance
        Revolut Business | revolut.com | | finance
        NetSuite | netsuite.com | oracle netsuite | finance
        Sage Intacct | sageintacct.com | | finance
        Zoho Books | books.zoho.com, books.zoho.eu | | finance
        FreeAgent | freeagent.com | | finance
        Lexware | lexware.de, lexoffice.de | lexoffice | finance
        sevDesk | sevdesk.de, sevdesk.com | | finance
        DATEV | datev.de | | finance
        Avalara | avalara.com | | finance
        TaxJar | taxjar.com | | finance
        Toggl | toggl.com | toggl track | productivity
        Clockify | clockify.me | | productivity
        Everhour | everhour.com | | productivity
        RescueTime | rescuetime.com | | productivity
        Time Doctor | timedoctor.com | | productivity
        Coda | coda.io | | productivity
        Quip | quip.com | | productivity
        Roam Research | roamresearch.com | | productivity
        Dropbox Paper | paper.dropbox.com | | productivity
        Zoho Workplace | workplace.zoho.com | | productivity
        Fastmail | fastmail.com | | productivity
        Zoho Mail | mail.zoho.com, mail.zoho.eu | | productivity
        Cal.com | cal.com | | productivity
        Acuity Scheduling | acuityscheduling.com | | productivity
        Jotform | jotform.com | | productivity
        Formstack | formstack.com | | productivity
        Qualtrics | qualtrics.com | | analytics
        Alchemer | alchemer.com, surveygizmo.com | surveygizmo | analytics
        Lucidchart | lucid.co, lucidchart.com | lucid, lucidspark | design
        Prezi | prezi.com | | design
        Adobe Stock | stock.adobe.com | | media
        iStock | istockphoto.com | | media
        Depositphotos | depositphotos.com | | media
        Freepik | freepik.com | | media
        Epidemic Sound | epidemicsound.com | | media
        Artlist | artlist.io | | media
        Storyblocks | storyblocks.com | | media
        Wistia | wistia.com | | media
        Vidyard | vidyard.com | | media
        Riverside.fm | riverside.fm | | media
        StreamYard | streamyard.com | | media
        Restream | restream.io | | media
        Camtasia | techsmith.com | techsmith, snagit | media
        Frame.io | frame.io | | media
        LinkedIn Learning | linkedinlearning.com | lynda | training
        Pluralsight | pluralsight.com | | training
        Skillshare | skillshare.com | | training
        MasterClass | masterclass.com | | training
        O'Reilly | oreilly.com | oreilly learning | training
        Codecademy | codecademy.com | | training
        DataCamp | datacamp.com | | training
        Frontend Masters | frontendmasters.com | | training
        Duolingo | duolingo.com | | training
        Babbel | babbel.com | | training
        TalentLMS | talentlms.com | | training
        Docebo | docebo.com | | training
        360Learning | 360learning.com | | training
        Document360 | document360.com | | productivity
        HiBob | hibob.com | bob | hr
        Sage HR | sage.hr | cakehr | hr
        Paylocity | paylocity.com | | hr
        Paycom | paycom.com | | hr
        ADP | adp.com | | hr
        Justworks | justworks.com | | hr
        TriNet | trinet.com | | hr
        Oyster HR | oysterhr.com | | hr
        Papaya Global | papayaglobal.com | | hr
        Workable | workable.com | | hr
        Recruitee | recruitee.com | | hr
        Teamtailor | teamtailor.com | | hr
        SmartRecruiters | smartrecruiters.com | | hr
        JazzHR | jazzhr.com | | hr
        Breezy HR | breezy.hr | | hr
        Culture Amp | cultureamp.com | | hr
        15Five | 15five.com | | hr
        Leapsome | leapsome.com | | hr
        When I Work | wheniwork.com | | hr
        Zenefits | zenefits.com | | hr
        Freshsales | freshsales.io | | crm
        LiveChat | livechat.com, livechatinc.com | | support
        Tidio | tidio.com | | support
        Gorgias | gorgias.com | | support
        Zoho Desk | desk.zoho.com, desk.zoho.eu | | support
        Zoho Projects | projects.zoho.com | | project management
        YouTrack | youtrack.cloud | | project management
        Targetprocess | targetprocess.com | | project management
        Productboard | productboard.com | | project management
        Aha! | aha.io | | project management
        Podio | podio.com | | project management
        Teamleader | teamleader.eu | | crm
        n8n | n8n.io | | automation
        Pipedream | pipedream.com | | automation
        Workato | workato.com | | automation
        Tray.io | tray.io | | automation
        Power Automate | flow.microsoft.com | microsoft flow | automation
        UiPath | uipath.com | | automation
        Retool | retool.com | | development
        Juro | juro.com | | legal
        ContractWorks | contractworks.com | | legal
        SignNow | signnow.com | | legal
        Adobe Sign | echosign.com | adobe acrobat sign | legal
        Yousign | yousign.com | | legal
        Skribble | skribble.com | | legal
        OneTrust | onetrust.com | | legal
        Termly | termly.io | | legal
        Iubenda | iubenda.com | | legal
        Cookiebot | cookiebot.com, usercentrics.com | usercentrics | legal
        """
}
