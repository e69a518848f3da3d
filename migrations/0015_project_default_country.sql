-- The country national phone numbers are read in when a person types one without its country
-- code (CRM webhook, handshake requests, contact import): ISO 3166-1 alpha-2, e.g. 'KE'. NULL
-- means every typed number must carry its country code (workers/lib/phone.ts, parsePhone).
ALTER TABLE `projects` ADD `default_country` text;
