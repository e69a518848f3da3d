// The demo world: TaxPal, a Kenyan tax-filing app with a website and a WhatsApp assistant.

export const SITE = "https://taxpal.example";

/** Browsers of the audience, weighted roughly like Kenyan web traffic (mobile first). */
export const DEVICES = [
  [
    {
      ua: "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
      screen: "412x915",
    },
    30,
  ],
  [
    {
      ua: "Mozilla/5.0 (Linux; Android 12; TECNO KI5k) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
      screen: "360x800",
    },
    14,
  ],
  [
    {
      ua: "Mozilla/5.0 (Linux; Android 14; Infinix X6833B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
      screen: "393x873",
    },
    6,
  ],
  [
    {
      ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      screen: "390x844",
    },
    10,
  ],
  [
    {
      ua: "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
      screen: "820x1180",
    },
    2,
  ],
  [
    {
      ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      screen: "1920x1080",
    },
    20,
  ],
  [
    {
      ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
      screen: "1366x768",
    },
    5,
  ],
  [
    {
      ua: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
      screen: "1440x900",
    },
    5,
  ],
  [{ ua: "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", screen: "1920x1080" }, 3],
  [{ ua: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", screen: "1024x768", bot: true }, 2],
];

/** Where visitors come from: referrer and UTM campaign. */
export const SOURCES = [
  [{ referrer: "https://www.google.com/" }, 34],
  [{ referrer: "" }, 22],
  [{ referrer: "https://m.facebook.com/", utm: { source: "facebook", medium: "cpc", campaign: "june_deadline", content: "carousel" } }, 10],
  [{ referrer: "https://www.instagram.com/", utm: { source: "instagram", medium: "paid_social", campaign: "june_deadline" } }, 5],
  [{ referrer: "", utm: { source: "newsletter", medium: "email", campaign: "nil_return_reminder" } }, 8],
  [{ referrer: "https://x.com/", utm: { source: "twitter", medium: "social", campaign: "tot_explainer" } }, 4],
  [{ referrer: "https://www.bing.com/" }, 3],
  [{ referrer: "https://kra.go.ke/" }, 6],
  [{ referrer: "", utm: { source: "whatsapp", medium: "chat", campaign: "bot_link" } }, 8],
];

export const CONTENT_PAGES = [
  ["/", "TaxPal · File KRA returns in minutes", 40],
  ["/pricing", "Pricing · TaxPal", 12],
  ["/blog/mri-explained", "Monthly Rental Income explained · TaxPal", 10],
  ["/blog/tot-2025-changes", "Turnover Tax 2025 changes · TaxPal", 8],
  ["/blog/nil-returns", "Do I need to file a NIL return? · TaxPal", 9],
  ["/help", "Help centre · TaxPal", 6],
  ["/returns", "Choose a return · TaxPal", 15],
].map(([path, title, w]) => [{ path, title }, w]);

/**
 * Return journeys: the steps after `return_started` and the chance to abandon before each one
 * (NIL is short and rarely abandoned; MRI asks for rent figures people do not have at hand).
 */
export const JOURNEYS = {
  mri: {
    name: "Monthly Rental Income",
    steps: ["period", "amount", "review"],
    dropBefore: [0.12, 0.3, 0.15],
    dropSubmit: 0.1,
    pays: true,
    weight: 45,
  },
  tot: {
    name: "Turnover Tax",
    steps: ["period", "amount", "review"],
    dropBefore: [0.1, 0.22, 0.12],
    dropSubmit: 0.08,
    pays: true,
    weight: 25,
  },
  nil: { name: "NIL return", steps: ["period", "review"], dropBefore: [0.06, 0.08], dropSubmit: 0.04, pays: false, weight: 30 },
};

export const AGENTS = ["agent_amina", "agent_brian", "agent_chao", "agent_diana", "agent_esther"];

/** How satisfied each agent's customers tend to be (mean CSAT before waiting penalties); the bot's own. */
export const CSAT_MEANS = { agent_amina: 4.6, agent_brian: 4.1, agent_chao: 3.5, agent_diana: 4.3, agent_esther: 3.9, bot: 3.4 };

/** Comments customers leave with a CSAT sent through the CRM (only their length is kept). */
export const CSAT_COMMENTS = [
  "Very helpful, thanks",
  "Took too long to get an answer",
  "Sorted my NIL return in minutes",
  "ok",
  "The agent did not understand my question",
];

export const FIRST_NAMES = [
  "Wanjiku",
  "Otieno",
  "Achieng",
  "Kamau",
  "Njeri",
  "Mwangi",
  "Akinyi",
  "Kiprop",
  "Fatuma",
  "Baraka",
  "Chebet",
  "Omondi",
  "Zawadi",
  "Mutua",
  "Amani",
  "Halima",
];

/** Inbound texts: only their length ever reaches storage. */
export const INBOUND_TEXTS = {
  opener: [
    "Hi",
    "Hello, I need help filing my return",
    "Habari, naweza kufile NIL return hapa?",
    "How do I file MRI for June?",
    "Is TOT due on the 20th?",
    "hi taxpal",
  ],
  reply: [
    "ok",
    "Yes please",
    "My PIN is with me",
    "I want to talk to a person",
    "How much will I pay?",
    "Thanks!",
    "It says my period is wrong",
    "Sawa",
  ],
  stop: ["STOP"],
  /** A customer who found the answer alone, just before they close the chat. */
  closing: ["Never mind, I found it on the site", "Sorted now, thanks", "Nimepata, asante", "All good, I'll close this"],
};

/** Countries of the contacts (E.164 prefixes and the full length of a number there), Kenya first. */
export const PHONE_PREFIXES = [
  [["+2547", 13], 80],
  [["+2541", 13], 8],
  [["+2557", 13], 5],
  [["+2567", 13], 4],
  [["+23480", 14], 3],
];
