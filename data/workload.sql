-- A day of the degux.cl web app's queries, run a few times each so that
-- pg_stat_statements has something to show. Most are fast, indexed
-- look-ups (map box on the GIST index, search by comuna, a user's uploads,
-- property listing pages, NextAuth's session look-up, the network and
-- professionals directory, the bot's history). A few are slow on purpose,
-- for the slow-query view to point at:
--   * buyer search with ILIKE '%...%' (leading wildcard, no trigram index);
--   * comparables within 1 km through a geography cast (skips the index);
--   * price per m² by comuna and year (aggregation over everything);
--   * the audit trail of one user ("AuditLog"."userId" has no index);
--   * a report endpoint that waits 150 ms on an external call (pg_sleep).
-- Statements carry no comments of their own: pg_stat_statements would keep
-- them as part of the query text. Plain SQL: psql -f or one PQexec.
SET application_name = 'degux.cl';

SELECT id, lat, lng, monto, fechaescritura FROM referenciales
WHERE geom && ST_MakeEnvelope(-70.62, -33.47, -70.56, -33.43, 4326) LIMIT 500;
SELECT id, lat, lng, monto, fechaescritura FROM referenciales
WHERE geom && ST_MakeEnvelope(-71.57, -33.05, -71.52, -33.00, 4326) LIMIT 500;
SELECT id, lat, lng, monto, fechaescritura FROM referenciales
WHERE geom && ST_MakeEnvelope(-73.08, -36.84, -73.02, -36.80, 4326) LIMIT 500;
SELECT id, lat, lng, monto, fechaescritura FROM referenciales
WHERE geom && ST_MakeEnvelope(-73.26, -39.83, -73.21, -39.80, 4326) LIMIT 500;

SELECT id, fojas, numero, anio, cbr, predio, monto FROM referenciales
WHERE comuna = 'Ñuñoa' ORDER BY fechaescritura DESC LIMIT 50;
SELECT id, fojas, numero, anio, cbr, predio, monto FROM referenciales
WHERE comuna = 'Peñalolén' ORDER BY fechaescritura DESC LIMIT 50;
SELECT id, fojas, numero, anio, cbr, predio, monto FROM referenciales
WHERE comuna = 'Viña del Mar' ORDER BY fechaescritura DESC LIMIT 50;
SELECT id, fojas, numero, anio, cbr, predio, monto FROM referenciales
WHERE comuna = 'Valdivia' ORDER BY fechaescritura DESC LIMIT 50;
SELECT id, fojas, numero, anio, cbr, predio, monto FROM referenciales
WHERE comuna = 'Temuco' ORDER BY fechaescritura DESC LIMIT 50;

SELECT id, comprador, vendedor, comuna, monto FROM referenciales
WHERE comprador ILIKE '%muñoz%' LIMIT 100;
SELECT id, comprador, vendedor, comuna, monto FROM referenciales
WHERE comprador ILIKE '%ibáñez%' LIMIT 100;
SELECT id, comprador, vendedor, comuna, monto FROM referenciales
WHERE comprador ILIKE '%inmobiliaria cordillera%' LIMIT 100;

SELECT count(*), avg(monto / superficie) FROM referenciales
WHERE ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(-70.5975, -33.4569), 4326)::geography, 1000);
SELECT count(*), avg(monto / superficie) FROM referenciales
WHERE ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(-71.5518, -33.0246), 4326)::geography, 1000);

SELECT comuna, anio, count(*) AS ventas,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY monto / superficie) AS mediana_m2
FROM referenciales WHERE monto IS NOT NULL AND superficie > 0
GROUP BY comuna, anio ORDER BY comuna, anio;
SELECT comuna, anio, count(*) AS ventas,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY monto / superficie) AS mediana_m2
FROM referenciales WHERE monto IS NOT NULL AND superficie > 0
GROUP BY comuna, anio ORDER BY comuna, anio;

SELECT c.nombre, count(r.id), max(r.fechaescritura)
FROM conservadores c LEFT JOIN referenciales r ON r."conservadorId" = c.id
GROUP BY c.nombre ORDER BY count(r.id) DESC;
SELECT c.nombre, count(r.id), max(r.fechaescritura)
FROM conservadores c LEFT JOIN referenciales r ON r."conservadorId" = c.id
GROUP BY c.nombre ORDER BY count(r.id) DESC;

SELECT id, comuna, monto, "createdAt" FROM referenciales
WHERE "userId" = 'cm' || substr(md5('user-12'), 1, 23) ORDER BY "createdAt" DESC LIMIT 20;
SELECT id, comuna, monto, "createdAt" FROM referenciales
WHERE "userId" = 'cm' || substr(md5('user-15'), 1, 23) ORDER BY "createdAt" DESC LIMIT 20;
SELECT id, comuna, monto, "createdAt" FROM referenciales
WHERE "userId" = 'cm' || substr(md5('user-31'), 1, 23) ORDER BY "createdAt" DESC LIMIT 20;

SELECT id, title, price, currency, "mainImage" FROM "Property"
WHERE commune = 'Ñuñoa' AND status = 'available' ORDER BY "createdAt" DESC LIMIT 20;
SELECT id, title, price, currency, "mainImage" FROM "Property"
WHERE commune = 'Las Condes' AND status = 'available' ORDER BY "createdAt" DESC LIMIT 20;
SELECT id, title, price, currency, "mainImage" FROM "Property"
WHERE commune = 'Puerto Montt' AND status = 'available' ORDER BY "createdAt" DESC LIMIT 20;
SELECT id, title, price, currency, "mainImage" FROM "Property"
WHERE "propertyType" = 'CASA' AND status = 'available' ORDER BY price LIMIT 20;
SELECT id, title, price, currency, "mainImage" FROM "Property"
WHERE "propertyType" = 'DEPARTAMENTO' AND status = 'available' ORDER BY price LIMIT 20;
SELECT p.id, p.title, u.name FROM "Property" p JOIN "User" u ON u.id = p."userId"
WHERE u."isPublicProfile" AND p.status = 'available' ORDER BY p.views DESC LIMIT 50;
SELECT p.id, p.title, u.name FROM "Property" p JOIN "User" u ON u.id = p."userId"
WHERE u."isPublicProfile" AND p.status = 'available' ORDER BY p.views DESC LIMIT 50;

SELECT s.id, s.expires, u.id, u.email, u.role FROM "Session" s
JOIN "User" u ON u.id = s."userId" WHERE s."sessionToken" = md5('session-token-3')::uuid::text;
SELECT s.id, s.expires, u.id, u.email, u.role FROM "Session" s
JOIN "User" u ON u.id = s."userId" WHERE s."sessionToken" = md5('session-token-44')::uuid::text;
SELECT s.id, s.expires, u.id, u.email, u.role FROM "Session" s
JOIN "User" u ON u.id = s."userId" WHERE s."sessionToken" = md5('session-token-101')::uuid::text;
SELECT id, name, email, role FROM "User" WHERE email = 'jose.munoz@degux.cl';
SELECT id, name, email, role FROM "User" WHERE email = 'maria.pena77@gmail.com';

SELECT id, "requesterId", status FROM "Connection"
WHERE "receiverId" = 'cm' || substr(md5('user-20'), 1, 23) AND status = 'pending';
SELECT id, "requesterId", status FROM "Connection"
WHERE "receiverId" = 'cm' || substr(md5('user-40'), 1, 23) AND status = 'pending';
SELECT id, name, company, commune FROM "User"
WHERE "isPublicProfile" AND profession = 'CORREDOR' ORDER BY name LIMIT 30;
SELECT id, name, company, commune FROM "User"
WHERE "isPublicProfile" AND profession = 'TASADOR' ORDER BY name LIMIT 30;

SELECT action, metadata, "createdAt" FROM "AuditLog"
WHERE "userId" = 'cm' || substr(md5('user-1'), 1, 23) ORDER BY "createdAt" DESC LIMIT 50;
SELECT action, metadata, "createdAt" FROM "AuditLog"
WHERE "userId" = 'cm' || substr(md5('user-4'), 1, 23) ORDER BY "createdAt" DESC LIMIT 50;

SELECT role, content, "createdAt" FROM "ChatMessage"
WHERE "userId" = 'cm' || substr(md5('user-10'), 1, 23) ORDER BY "createdAt" LIMIT 100;
SELECT role, content, "createdAt" FROM "ChatMessage"
WHERE "userId" = 'cm' || substr(md5('user-11'), 1, 23) ORDER BY "createdAt" LIMIT 100;

SELECT pg_sleep(0.15), count(*) FROM "PropertyListing" WHERE "isActive";
SELECT pg_sleep(0.15), count(*) FROM "PropertyListing" WHERE "isActive";
SELECT pg_sleep(0.15), count(*) FROM "PropertyListing" WHERE "isActive";
