import { Hono } from "hono";
import { campaignsApi } from "../campaigns";
import { automationsApi } from "../automations";
import { contactsApi } from "../contacts";
import { agentsApi, availabilityApi, conversationsApi, conversationsExport, csatApi, eraseConversation, slaApi } from "../conversations";
import { deadLettersApi } from "../dead-letters";
import { deliveriesApi, unmappedDeliveriesApi } from "../deliveries";
import { eventsApi, eventsExportApi } from "../events";
import { funnelEditApi, funnelExportApi, funnelPeopleApi, funnelsApi } from "../funnels";
import { eraseHandshake, handshakesApi, handshakeStatsApi, timelineApi } from "../identity";
import { authenticate, projectScope, type ApiEnv } from "../lib/auth";
import { liveApi, liveTokenFromQuery } from "../live";
import { peopleApi } from "../people";
import { businessHoursApi, projectsApi, tokensApi } from "../projects";
import { drilldownApi, sketchesApi, statsApi } from "../rollups";
import { sharesApi } from "../shares";
import { getSegment, memberPage, segmentsApi } from "../segments";
import { templatesApi } from "../templates";
import { whatsappApi } from "../whatsapp";

/** The authenticated API: composes each feature's routes. Project routes are scoped by `projectScope`. */
export const api = new Hono<ApiEnv>();

api.use("/projects/:project/live", liveTokenFromQuery);
api.use("*", authenticate);
api.use("/projects/:project/*", projectScope);
api.route("/projects/:project/events", eventsApi);
api.route("/projects/:project/webhooks/deliveries", deliveriesApi);
api.route("/projects/:project/live", liveApi);
api.route("/projects/:project/whatsapp", whatsappApi);
api.route("/projects/:project/agents/availability", availabilityApi);
api.route("/projects/:project/agents", agentsApi);
api.route("/projects/:project/csat", csatApi);
api.route("/projects/:project/conversations", conversationsApi);
api.route("/projects/:project/sla", slaApi);
api.route("/projects/:project/export", conversationsExport);
api.route("/projects/:project/export", eventsExportApi);
api.route("/projects/:project/export", funnelExportApi);
api.route("/projects/:project/stats", statsApi);
api.route("/projects/:project/stats", drilldownApi);
api.route("/projects/:project/funnels", funnelsApi);
api.route("/projects/:project/funnels", funnelEditApi);
api.route("/projects/:project/funnels", funnelPeopleApi);
api.route("/projects/:project/segments", segmentsApi);
api.route("/projects/:project/templates", templatesApi);
api.route(
  "/projects/:project/campaigns",
  campaignsApi({
    // A campaign's audience is its segment's members, read at launch.
    open: async (db, p, id) => {
      const { definition } = await getSegment(db, p, id);
      const now = Date.now();
      return (after, limit) => memberPage(db, p, definition, after, limit, now);
    },
  }),
);
api.route("/projects/:project/contacts", contactsApi);
api.route("/projects/:project/automations", automationsApi);
api.route("/projects/:project/timeline", timelineApi);
api.route("/projects/:project/people", peopleApi({ conversation: eraseConversation, handshake: eraseHandshake }));
api.route("/projects/:project/handshakes", handshakeStatsApi);
api.route("/projects/:project/sketches", sketchesApi);
api.route("/projects/:project/tokens", tokensApi);
api.route("/projects/:project/business-hours", businessHoursApi);
api.route("/projects/:project/shares", sharesApi);
api.route("/handshakes", handshakesApi);
api.route("/dead-letters", deadLettersApi);
api.route("/webhooks/unmapped", unmappedDeliveriesApi);
api.route("/projects", projectsApi);
