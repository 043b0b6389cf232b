-- Generated demo data for the degux schema (data/schema.sql), over Chile's
-- comunas (data/comunas.sql, load it first). Plain SQL with no psql
-- meta-commands, so psql -f and one PQexec both load it. Reproducible: the
-- generator is seeded, and identifiers derive from row numbers.
--
-- Size: SET degux.demo_size = N (referenciales; default 100000), e.g.
--   PGOPTIONS='-c degux.demo_size=20000' psql -v ON_ERROR_STOP=1 -f data/demo.sql degux
--
-- Exactly one referencial in 25 (4%) carries one realistic defect, listed
-- with its kind in degux_demo.defects so tests and moderation can check
-- their findings against the truth. Every other referencial is valid by the
-- seed's rules: ROL 12345-0001, fojas digits, known CBR (cbr =
-- conservadores.nombre), official comuna within a few km of its centroid,
-- geom = ST_SetSRID(ST_MakePoint(lng, lat), 4326), fechaescritura in
-- 2010-2025, monto > 0, a unique (cbr, fojas, numero, anio).

SET client_min_messages = warning;
SET work_mem = '64MB';
-- The generator's row estimates are wild; compiling its plans would cost
-- more than running them.
SET jit = off;
SELECT setseed(0.2018);

-- ---------------------------------------------------------------------
-- Parameters and checks
-- ---------------------------------------------------------------------
CREATE TEMP TABLE demo_size AS
SELECT coalesce(nullif(current_setting('degux.demo_size', true), ''), '100000')::bigint AS n;

DO $$
BEGIN
    IF to_regclass('degux_demo.comunas') IS NULL
       OR (SELECT count(*) FROM degux_demo.comunas) <> 346 THEN
        RAISE EXCEPTION 'degux_demo.comunas is missing or incomplete: load data/comunas.sql first';
    END IF;
    IF to_regclass('public.referenciales') IS NULL THEN
        RAISE EXCEPTION 'the degux schema is missing: load data/schema.sql first';
    END IF;
    IF (SELECT n FROM demo_size) NOT BETWEEN 100 AND 10000000 THEN
        RAISE EXCEPTION 'degux.demo_size must be between 100 and 10000000, not %',
            (SELECT n FROM demo_size);
    END IF;
END
$$;

-- The helpers stay inlinable (IMMUTABLE bodies only: hence the ::text casts).
-- Identifiers: cuid-looking for Prisma's @default(cuid()) tables, uuid for
-- referenciales (@default(uuid())); both derived from the row number.
CREATE FUNCTION pg_temp.cuid(kind text, i bigint) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'cm' || substr(md5(kind || '-' || i::text), 1, 23) $$;
CREATE FUNCTION pg_temp.ref_id(i bigint) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT md5('referencial-' || i::text)::uuid::text $$;
CREATE FUNCTION pg_temp.unaccent(s text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT translate(s, 'áéíóúÁÉÍÓÚñÑüÜ', 'aeiouAEIOUnNuU') $$;
-- Modulo-11 check digit of a Chilean RUT.
CREATE FUNCTION pg_temp.rut_fmt(rut bigint) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    AS $$
DECLARE
    n bigint := rut;
    s int := 0;
    m int := 2;
    r int;
BEGIN
    WHILE n > 0 LOOP
        s := s + (n % 10)::int * m;
        n := n / 10;
        m := CASE WHEN m = 7 THEN 2 ELSE m + 1 END;
    END LOOP;
    r := 11 - s % 11;
    RETURN to_char(rut, 'FM99G999G999') || '-'
        || CASE r WHEN 11 THEN '0' WHEN 10 THEN 'K' ELSE r::text END;
END
$$;

-- Word lists, one row, stored plain: compressed arrays would be unpacked
-- again at every subscript, a million times over.
CREATE TEMP TABLE demo_w (nombres text[], apellidos text[], calles text[],
    empresas text[], obs text[], bad_comunas text[], bad_rols text[],
    bad_cbrs text[], kinds text[]);
ALTER TABLE demo_w ALTER nombres SET STORAGE PLAIN, ALTER apellidos SET STORAGE PLAIN,
    ALTER calles SET STORAGE PLAIN, ALTER empresas SET STORAGE PLAIN,
    ALTER obs SET STORAGE PLAIN, ALTER bad_comunas SET STORAGE PLAIN,
    ALTER bad_rols SET STORAGE PLAIN, ALTER bad_cbrs SET STORAGE PLAIN,
    ALTER kinds SET STORAGE PLAIN;
INSERT INTO demo_w
SELECT
    ARRAY['José','María','Juan','Francisca','Camila','Sebastián','Martín',
          'Matías','Benjamín','Agustín','Valentina','Catalina','Constanza',
          'Javiera','Ignacio','Cristóbal','Tomás','Joaquín','Nicolás','Andrés',
          'Rocío','Sofía','Isidora','Florencia','Antonia','Ramón','Héctor',
          'Óscar','Inés','Begoña','Mónica','Verónica','Raúl','Germán',
          'Jesús','Patricio','Carolina','Fernanda','Rodrigo','Claudia',
          'Luis','Ana','Pedro','Paz','Gonzalo','Macarena','Felipe','Daniela',
          'Álvaro','Ximena','Víctor','Marcela','Eugenio','Soledad','Íñigo',
          'Ángela','Darío','Noemí','Efraín','Maximiliano'] AS nombres,
    ARRAY['González','Muñoz','Rojas','Díaz','Pérez','Soto','Contreras',
          'Silva','Martínez','Sepúlveda','Morales','Rodríguez','López',
          'Fuentes','Hernández','Torres','Araya','Flores','Espinoza',
          'Valenzuela','Castillo','Tapia','Reyes','Gutiérrez','Castro',
          'Pizarro','Álvarez','Vásquez','Sánchez','Fernández','Ramírez',
          'Carrasco','Gómez','Cortés','Herrera','Núñez','Jara','Vergara',
          'Rivera','Figueroa','Riquelme','García','Miranda','Bravo','Vera',
          'Molina','Vega','Campos','Sandoval','Orellana','Zúñiga','Olivares',
          'Alarcón','Gallardo','Ortiz','Garrido','Salazar','Guzmán',
          'Henríquez','Saavedra','Navarro','Aguilera','Parra','Romero',
          'Aravena','Vargas','Cáceres','Yáñez','Leiva','Escobar','Valdés',
          'Vidal','Salinas','Lagos','Peña','Ibáñez','Cárdenas','Poblete',
          'Acuña','Quezada','Ríos','Carvajal','Bustos','Mella','Sáez',
          'Ñancupil','Huenchullán','Painemal'] AS apellidos,
    ARRAY['Avenida Libertador Bernardo O''Higgins','Avenida Providencia',
          'Avenida Irarrázaval','Los Aromos','Pasaje Los Copihues',
          'Arturo Prat','Manuel Rodríguez','José Miguel Carrera',
          'Avenida Pedro de Valdivia','Avenida Grecia','Los Alerces',
          'Las Araucarias','Baquedano','Colón','Freire','Caupolicán',
          'Lautaro','Galvarino','Avenida Alemania','Avenida España',
          'Los Castaños','Pasaje El Maitén','Camino Real',
          'Avenida Vicuña Mackenna','Gran Avenida','San Martín',
          'Avenida Ossa','Los Quillayes','El Peñón','Los Boldos',
          'Avenida Matta','Brasil','Yungay','Avenida Argentina','Chacabuco',
          'Los Carrera','Bulnes','Condell','Almirante Latorre','Tucapel',
          'Avenida Los Leones','Camino a Melipilla','Avenida Kennedy',
          'Pasaje Ñandú','Los Coigües','Avenida Pajaritos','Errázuriz',
          'Balmaceda','Avenida La Cañada','Los Peumos'] AS calles,
    ARRAY['Inmobiliaria Cordillera SpA','Constructora Río Bueno Ltda.',
          'Inversiones Los Coigües SpA','Inmobiliaria Costanera Sur S.A.',
          'Sociedad Agrícola Santa Inés Ltda.','Inmobiliaria Parque Ñuñoa SpA',
          'Constructora e Inmobiliaria Piedra Roja S.A.',
          'Fondo de Inversión Rentas Urbanas','Inmobiliaria Alto Peñalolén SpA',
          'Inversiones Ñielol Ltda.','Inmobiliaria Borde Río S.A.',
          'Constructora Los Ulmos SpA','Banco del Estado de Chile',
          'Inmobiliaria Maitencillo Ltda.','Agrícola y Forestal El Álamo SpA',
          'Inmobiliaria Valle Grande S.A.'] AS empresas,
    ARRAY['Compraventa con hipoteca a favor de banco',
          'Incluye estacionamiento y bodega','Compraventa con subsidio habitacional',
          'Venta en verde; entrega 2024','Dato obtenido del índice del CBR',
          'Precio pagado al contado','Parte del precio con crédito hipotecario',
          'Incluye derechos de agua','Herederos venden cuota de dominio',
          'Revisar superficie: según plano de loteo',
          'Inscripción con anotación marginal','Venta de nuda propiedad'] AS obs,
    ARRAY['Santiago Centro','Stgo','Viña','Ñuñoa Oriente','Gran Concepción',
          'Las Condes Alto','Providenciaa','Sector Rural','S/I','Chicureo',
          'Reñaca','La Dehesa','Hualpencillo','Quilpue Alto','Valpo'] AS bad_comunas,
    ARRAY['admin','123-4','ABC120','12345','1234-567','S/N','12345-001',
          'sin rol','9999-99999'] AS bad_rols,
    ARRAY['ABC120','CBR Stgo','Conservador Santiago Centro','Notaría Pérez',
          'S/I'] AS bad_cbrs,
    ARRAY['bad_rol','swapped_latlng','comuna_spelling','unknown_comuna',
          'future_fecha','duplicate','missing_monto','geom_mismatch',
          'bad_fojas','unknown_cbr','monto_uf'] AS kinds;

-- ---------------------------------------------------------------------
-- Where things happen: population weights (2017 census, thousands) and
-- price tiers; every other comuna weighs 8 and sits in the rural tier.
-- ---------------------------------------------------------------------
CREATE TEMP TABLE demo_pop (comuna text PRIMARY KEY, weight int NOT NULL);
INSERT INTO demo_pop VALUES
    ('Puente Alto',568),('Maipú',522),('Santiago',404),('La Florida',367),
    ('Antofagasta',361),('Viña del Mar',334),('San Bernardo',301),
    ('Valparaíso',296),('Las Condes',294),('Temuco',282),('Puerto Montt',245),
    ('Peñalolén',241),('Rancagua',241),('Pudahuel',230),('Coquimbo',227),
    ('Concepción',223),('La Serena',221),('Arica',221),('Talca',220),
    ('Quilicura',210),('Ñuñoa',208),('Los Ángeles',202),('Iquique',191),
    ('Chillán',184),('La Pintana',177),('Valdivia',166),('Calama',165),
    ('El Bosque',162),('Osorno',161),('Recoleta',157),('Copiapó',153),
    ('Talcahuano',151),('Quilpué',151),('Curicó',149),('Renca',147),
    ('Estación Central',147),('Colina',146),('Providencia',142),
    ('Cerro Navia',132),('Punta Arenas',131),('San Pedro de la Paz',131),
    ('Conchalí',126),('Villa Alemana',126),('Melipilla',123),('Macul',116),
    ('La Granja',116),('Coronel',116),('Ovalle',111),('Quinta Normal',110),
    ('Alto Hospicio',108),('San Miguel',107),('Lo Barnechea',105),
    ('Lampa',102),('Pedro Aguirre Cerda',101),('Independencia',100),
    ('Huechuraba',98),('Lo Espejo',98),('Buin',96),('Lo Prado',96),
    ('San Joaquín',94),('Linares',93),('La Reina',92),('Hualpén',91),
    ('San Antonio',91),('La Cisterna',90),('Quillota',90),('Peñaflor',90),
    ('Vitacura',85),('Chiguayante',85),('San Ramón',82),('Cerrillos',80),
    ('Padre Las Casas',76),('San Felipe',76),('Talagante',74),
    ('San Fernando',73),('Los Andes',66),('Padre Hurtado',63),('Rengo',58),
    ('Coyhaique',57),('Villarrica',55),('Angol',53),('Machalí',52),
    ('Vallenar',51),('Constitución',46),('Limache',46),('Puerto Varas',44),
    ('Castro',43),('Concón',42),('Santa Cruz',38),('Pucón',28),
    ('Paine',72),('Chillán Viejo',31),('Tomé',54),('Penco',47),('Lota',43),
    ('Ancud',39),('Quellón',27),('Molina',45),('San Carlos',53),('Calera',50);

CREATE TEMP TABLE demo_tier (comuna text PRIMARY KEY, tier char NOT NULL);
INSERT INTO demo_tier
SELECT c, 'A' FROM unnest(ARRAY['Las Condes','Vitacura','Lo Barnechea','Providencia']) c
UNION ALL
SELECT c, 'B' FROM unnest(ARRAY['Ñuñoa','La Reina','Santiago','San Miguel','Macul',
    'Concón','Viña del Mar','Huechuraba','Peñalolén','Puerto Varas','Pucón',
    'San Pedro de la Paz','La Florida']) c
UNION ALL
SELECT c, 'C' FROM unnest(ARRAY['Puente Alto','Maipú','San Bernardo','Colina',
    'Valparaíso','Concepción','La Serena','Antofagasta','Iquique','Temuco',
    'Puerto Montt','Rancagua','Machalí','Estación Central','Independencia',
    'Recoleta','Quilicura','Pudahuel','San Joaquín','La Cisterna','Cerrillos',
    'Quinta Normal','Chiguayante','Valdivia','Coquimbo','Quilpué','Talca',
    'Chillán','Punta Arenas','Calama','Lampa','Padre Hurtado','Peñaflor',
    'Talagante','Buin','Paine']) c;

DO $$
DECLARE missing text;
BEGIN
    SELECT string_agg(x.comuna, ', ') INTO missing
    FROM (SELECT comuna FROM demo_pop UNION SELECT comuna FROM demo_tier) x
    WHERE NOT EXISTS (SELECT 1 FROM degux_demo.comunas c WHERE c.comuna = x.comuna);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'demo.sql names unknown comunas: %', missing;
    END IF;
END
$$;

-- ---------------------------------------------------------------------
-- Conservadores de Bienes Raíces: real offices in real cities. A comuna
-- is served by the office in it, else by the nearest one in its region.
-- ---------------------------------------------------------------------
INSERT INTO conservadores (id, nombre, direccion, comuna, region, telefono, email, "sitioWeb", "createdAt", "updatedAt")
SELECT pg_temp.cuid('conservador', o.n), 'CBR de ' || o.comuna, o.direccion, o.comuna,
       c.region, o.telefono,
       'contacto@cbr' || lower(replace(pg_temp.unaccent(o.comuna), ' ', '')) || '.cl',
       CASE WHEN o.comuna = 'Santiago' THEN 'https://www.conservador.cl'
            WHEN o.n % 4 = 3 THEN NULL
            ELSE 'https://www.cbr' || lower(replace(pg_temp.unaccent(o.comuna), ' ', '')) || '.cl' END,
       timestamp '2025-01-12 18:45:00' + o.n * interval '37 seconds',
       timestamp '2025-01-12 18:45:00' + o.n * interval '37 seconds' + (o.n % 5) * interval '41 days'
FROM (VALUES
    (1, 'Arica', '7 de Junio 188, oficina 301', '+56 58 223 1450'),
    (2, 'Iquique', 'Baquedano 1093', '+56 57 241 2270'),
    (3, 'Antofagasta', 'San Martín 2542', '+56 55 226 3390'),
    (4, 'Calama', 'Vicuña Mackenna 2013', '+56 55 234 1122'),
    (5, 'Copiapó', 'Colipí 484, piso 2', '+56 52 221 2871'),
    (6, 'Vallenar', 'Prat 1070', '+56 51 261 1344'),
    (7, 'La Serena', 'Cordovez 555', '+56 51 221 5011'),
    (8, 'Coquimbo', 'Aldunate 1001', '+56 51 231 3040'),
    (9, 'Ovalle', 'Vicuña Mackenna 438', '+56 53 262 0412'),
    (10, 'Valparaíso', 'Prat 772, piso 3', '+56 32 225 3310'),
    (11, 'Viña del Mar', 'Arlegui 646', '+56 32 297 1120'),
    (12, 'Quillota', 'O''Higgins 240', '+56 33 231 0561'),
    (13, 'San Antonio', 'Centenario 285', '+56 35 221 2216'),
    (14, 'Los Andes', 'Esmeralda 385', '+56 34 242 1038'),
    (15, 'San Felipe', 'Salinas 150', '+56 34 251 0670'),
    (16, 'Santiago', 'Morandé 440', '+56 2 2390 0800'),
    (17, 'San Miguel', 'Gran Avenida José Miguel Carrera 4890', '+56 2 2522 6100'),
    (18, 'Puente Alto', 'José Luis Coo 0185', '+56 2 2850 3321'),
    (19, 'San Bernardo', 'Eyzaguirre 550', '+56 2 2859 0260'),
    (20, 'Talagante', 'Balmaceda 1175', '+56 2 2815 1190'),
    (21, 'Melipilla', 'Ortúzar 370', '+56 2 2831 2014'),
    (22, 'Rancagua', 'Campos 423', '+56 72 222 5120'),
    (23, 'San Fernando', 'Carampangue 650', '+56 72 271 2233'),
    (24, 'Talca', '1 Sur 1250', '+56 71 223 3480'),
    (25, 'Curicó', 'Yungay 630', '+56 75 231 0221'),
    (26, 'Linares', 'Independencia 480', '+56 73 221 0660'),
    (27, 'Chillán', 'Constitución 580', '+56 42 222 3411'),
    (28, 'Concepción', 'Barros Arana 1098', '+56 41 222 5550'),
    (29, 'Talcahuano', 'Colón 625', '+56 41 254 2108'),
    (30, 'Los Ángeles', 'Colón 360', '+56 43 232 1500'),
    (31, 'Temuco', 'Bulnes 590', '+56 45 221 4340'),
    (32, 'Angol', 'Lautaro 350', '+56 45 271 1056'),
    (33, 'Villarrica', 'Pedro de Valdivia 866', '+56 45 241 1230'),
    (34, 'Valdivia', 'Yungay 621', '+56 63 221 2920'),
    (35, 'Osorno', 'Ramírez 1144', '+56 64 223 3005'),
    (36, 'Puerto Montt', 'Benavente 405, oficina 201', '+56 65 225 2666'),
    (37, 'Puerto Varas', 'San Francisco 431', '+56 65 223 2270'),
    (38, 'Castro', 'Blanco Encalada 220', '+56 65 263 2104'),
    (39, 'Coyhaique', 'Francisco Bilbao 234', '+56 67 223 1710'),
    (40, 'Punta Arenas', 'Pedro Montt 868', '+56 61 222 4210'),
    (41, 'Natales', 'Bulnes 530', '+56 61 241 1035')
) AS o(n, comuna, direccion, telefono)
JOIN degux_demo.comunas c ON c.comuna = o.comuna;

CREATE TEMP TABLE demo_comuna AS
SELECT c.cut, c.comuna, c.region, c.lat, c.lng,
       coalesce(p.weight, 8) AS weight,
       coalesce(t.tier, CASE WHEN p.weight IS NOT NULL THEN 'D' ELSE 'E' END) AS tier,
       cb.id AS cons_id, cb.nombre AS cons_nombre
FROM degux_demo.comunas c
LEFT JOIN demo_pop p ON p.comuna = c.comuna
LEFT JOIN demo_tier t ON t.comuna = c.comuna
CROSS JOIN LATERAL (
    SELECT k.id, k.nombre
    FROM conservadores k JOIN degux_demo.comunas kc ON kc.comuna = k.comuna
    ORDER BY (k.comuna = c.comuna) DESC, (kc.region_code = c.region_code) DESC,
             (kc.lat - c.lat) ^ 2 + ((kc.lng - c.lng) * cos(radians(c.lat))) ^ 2
    LIMIT 1) cb;

-- Weighted choice of a comuna: one slot per unit of weight.
CREATE TEMP TABLE demo_slot AS
SELECT (row_number() OVER (ORDER BY c.cut, s) - 1)::int AS slot, c.cut
FROM demo_comuna c, generate_series(1, c.weight) s;
CREATE UNIQUE INDEX ON demo_slot (slot);
ANALYZE demo_slot;
ANALYZE demo_comuna;

CREATE TEMP TABLE demo_n AS
SELECT (SELECT n FROM demo_size) AS n,
       (SELECT count(*) FROM demo_slot)::int AS slots,
       320 AS users;

-- ---------------------------------------------------------------------
-- Users: every role and profession, Chilean names.
-- ---------------------------------------------------------------------
CREATE TEMP TABLE demo_user AS
SELECT u.i,
       w.nombres[1 + floor(random() * cardinality(w.nombres))::int] AS nombre,
       w.apellidos[1 + floor(random() * cardinality(w.apellidos))::int] AS ap1,
       w.apellidos[1 + floor(random() * cardinality(w.apellidos))::int] AS ap2,
       (1 + floor(random() * 346))::int AS comuna_ord,
       random() AS r_pub, random() AS r_prof, random() AS r_img,
       random() AS r_created, random() AS r_verified, random() AS r_bio
FROM generate_series(1, (SELECT users FROM demo_n)) u(i) CROSS JOIN demo_w w;

INSERT INTO "User" (id, name, email, password, "emailVerified", image, "createdAt",
                    "updatedAt", role, bio, profession, company, phone, region,
                    commune, website, linkedin, "isPublicProfile")
SELECT pg_temp.cuid('user', u.i),
       u.nombre || ' ' || u.ap1 || ' ' || u.ap2,
       lower(pg_temp.unaccent(split_part(u.nombre, ' ', 1) || '.' || u.ap1))
           || CASE WHEN u.i > 40 THEN u.i::text ELSE '' END || '@'
           || CASE WHEN u.i <= 8 THEN 'degux.cl'
                   ELSE (ARRAY['gmail.com','gmail.com','hotmail.com','outlook.com','yahoo.es','uc.cl','icloud.com'])[1 + u.i % 7] END,
       CASE WHEN u.i % 3 = 0 THEN '$2b$10$' || substr(md5('pw' || u.i) || md5('salt' || u.i), 1, 53) END,
       CASE WHEN u.r_verified < 0.8 THEN (timestamp '2024-10-28' + u.r_created * interval '700 days' + interval '3 minutes')::timestamp(3) END,
       CASE WHEN u.r_img < 0.7 THEN 'https://lh3.googleusercontent.com/a/ACg8ocK' || substr(md5('img' || u.i), 1, 24) || '=s96-c' END,
       (timestamp '2024-10-28' + u.r_created * interval '700 days')::timestamp(3),
       (timestamp '2024-10-28' + u.r_created * interval '700 days' + interval '12 days')::timestamp(3),
       (CASE WHEN u.i <= 2 THEN 'superadmin' WHEN u.i <= 8 THEN 'admin' ELSE 'user' END)::"Role",
       CASE WHEN u.r_bio < 0.45 THEN
           (ARRAY['Corredora de propiedades en la zona oriente de Santiago.',
                  'Tasador con más de 15 años de experiencia en bancos e inmobiliarias.',
                  'Arquitecta; proyectos de vivienda social y regeneración urbana.',
                  'Inversionista en renta residencial, Ñuñoa y Providencia.',
                  'Abogado especialista en estudio de títulos y derecho inmobiliario.',
                  'Ingeniero civil, inspección técnica de obras en el sur de Chile.',
                  'Constructor civil; casas de madera en Los Ríos y Los Lagos.'])[1 + u.i % 7] END,
       CASE WHEN u.r_prof < 0.85 THEN
           (enum_range(NULL::"ProfessionType"))[1 + u.i % 8] END,
       CASE WHEN u.i % 4 = 1 THEN (SELECT empresas[1 + u.i % cardinality(empresas)] FROM demo_w) END,
       CASE WHEN u.i % 3 <> 2 THEN '+56 9 ' || lpad((u.i * 7919 % 10000)::text, 4, '0') || ' ' || lpad((u.i * 104729 % 10000)::text, 4, '0') END,
       CASE WHEN u.r_pub < 0.35 OR u.i % 5 = 0 THEN c.region END,
       CASE WHEN u.r_pub < 0.35 OR u.i % 5 = 0 THEN c.comuna END,
       CASE WHEN u.r_pub < 0.2 THEN 'https://www.' || lower(pg_temp.unaccent(u.ap1)) || 'propiedades.cl' END,
       CASE WHEN u.r_pub < 0.3 THEN 'https://www.linkedin.com/in/' || lower(pg_temp.unaccent(u.nombre || '-' || u.ap1)) || '-' || u.i END,
       u.r_pub < 0.35
FROM demo_user u
JOIN (SELECT row_number() OVER (ORDER BY cut) AS ord, comuna, region FROM degux_demo.comunas) c
  ON c.ord = u.comuna_ord;

-- ---------------------------------------------------------------------
-- Referenciales. First every row's draws (in row order, so the seed
-- decides them whatever the plan), then the comuna-dependent values, then
-- the defect of every 25th row.
-- ---------------------------------------------------------------------
CREATE TEMP TABLE demo_ref AS
SELECT d.i,
       CASE WHEN d.i % 25 = 0 THEN
           CASE WHEN d.i / 25 <= 11 THEN w.kinds[d.i / 25]
                WHEN d.rdk < 0.14 THEN 'bad_rol'
                WHEN d.rdk < 0.22 THEN 'swapped_latlng'
                WHEN d.rdk < 0.36 THEN 'comuna_spelling'
                WHEN d.rdk < 0.44 THEN 'unknown_comuna'
                WHEN d.rdk < 0.50 THEN 'future_fecha'
                WHEN d.rdk < 0.60 THEN 'duplicate'
                WHEN d.rdk < 0.72 THEN 'missing_monto'
                WHEN d.rdk < 0.80 THEN 'geom_mismatch'
                WHEN d.rdk < 0.88 THEN 'bad_fojas'
                WHEN d.rdk < 0.94 THEN 'unknown_cbr'
                ELSE 'monto_uf' END
       END AS defect,
       d.rdv, c.cut, c.comuna, c.region, c.tier, c.cons_id, c.cons_nombre,
       round((c.lat + d.rad * cos(d.theta) / 111.32)::numeric, 6)::float8 AS lat,
       round((c.lng + d.rad * sin(d.theta) / (111.32 * cos(radians(c.lat))))::numeric, 6)::float8 AS lng,
       -- property kind: departamento, casa, terreno, parcela, local, oficina, bodega
       CASE WHEN c.tier IN ('A','B') THEN
                CASE WHEN d.rk < 0.62 THEN 'D' WHEN d.rk < 0.84 THEN 'C' WHEN d.rk < 0.89 THEN 'O'
                     WHEN d.rk < 0.93 THEN 'L' WHEN d.rk < 0.98 THEN 'B' ELSE 'T' END
            WHEN c.tier IN ('C','D') THEN
                CASE WHEN d.rk < 0.38 THEN 'D' WHEN d.rk < 0.82 THEN 'C' WHEN d.rk < 0.86 THEN 'L'
                     WHEN d.rk < 0.89 THEN 'O' WHEN d.rk < 0.92 THEN 'B' WHEN d.rk < 0.97 THEN 'T' ELSE 'P' END
            ELSE
                CASE WHEN d.rk < 0.06 THEN 'D' WHEN d.rk < 0.55 THEN 'C' WHEN d.rk < 0.58 THEN 'L'
                     WHEN d.rk < 0.75 THEN 'T' ELSE 'P' END
       END AS kind,
       d.rsup, d.rprice, d.fecha, d.gap, d.rol, d.comprador, d.vendedor,
       d.calle, d.nro, d.unidad, d.lote, d.user_i, d.obs, d.created_days
FROM (
    SELECT g.i,
           floor(random() * n.slots)::int AS slot,
           random() AS rdk, random() AS rdv,
           2 * pi() * random() AS theta,
           3.5 * sqrt(random()) AS rad,
           random() AS rk,
           random() + random() + random() - 1.5 AS rsup,
           random() + random() + random() - 1.5 AS rprice,
           date '2010-01-02' + floor(power(random(), 0.8)
               * (least(date '2025-12-31', current_date - 1) - date '2010-01-02'))::int AS fecha,
           1 + floor(random() * 9)::int AS gap,
           lpad((1 + floor(random() * 99998))::text, 5, '0') || '-'
               || lpad((1 + floor(random() * 9998))::text, 4, '0') AS rol,
           CASE WHEN random() < 0.84 THEN
                    w.nombres[1 + floor(random() * cardinality(w.nombres))::int] || ' '
                    || w.apellidos[1 + floor(random() * cardinality(w.apellidos))::int] || ' '
                    || w.apellidos[1 + floor(random() * cardinality(w.apellidos))::int]
                    || CASE WHEN random() < 0.03 THEN ', RUT ' || pg_temp.rut_fmt(5000000 + floor(random() * 20000000)::bigint) ELSE '' END
                WHEN random() < 0.6 THEN
                    w.nombres[1 + floor(random() * cardinality(w.nombres))::int] || ' ' || w.apellidos[1 + floor(random() * cardinality(w.apellidos))::int]
                    || ' y ' || w.nombres[1 + floor(random() * cardinality(w.nombres))::int] || ' ' || w.apellidos[1 + floor(random() * cardinality(w.apellidos))::int]
                ELSE w.empresas[1 + floor(random() * cardinality(w.empresas))::int]
           END AS comprador,
           CASE WHEN random() < 0.62 THEN
                    w.nombres[1 + floor(random() * cardinality(w.nombres))::int] || ' '
                    || w.apellidos[1 + floor(random() * cardinality(w.apellidos))::int] || ' '
                    || w.apellidos[1 + floor(random() * cardinality(w.apellidos))::int]
                WHEN random() < 0.88 THEN w.empresas[1 + floor(random() * cardinality(w.empresas))::int]
                ELSE 'Sucesión ' || w.apellidos[1 + floor(random() * cardinality(w.apellidos))::int] || ' '
                     || w.apellidos[1 + floor(random() * cardinality(w.apellidos))::int]
           END AS vendedor,
           w.calles[1 + floor(random() * cardinality(w.calles))::int] AS calle,
           1 + floor(power(random(), 2) * 4000)::int AS nro,
           (1 + floor(random() * 24)::int) * 100 + 1 + floor(random() * 12)::int AS unidad,
           1 + floor(random() * 180)::int AS lote,
           CASE WHEN random() < 0.30 THEN NULL
                WHEN random() < 0.75 THEN 9 + floor(power(random(), 2) * 60)::int
                ELSE 1 + floor(random() * n.users)::int END AS user_i,
           CASE WHEN random() < 0.12 THEN w.obs[1 + floor(random() * cardinality(w.obs))::int] END AS obs,
           random() AS created_days
    FROM generate_series(1, (SELECT n FROM demo_n)) g(i)
    CROSS JOIN demo_n n CROSS JOIN demo_w w
    OFFSET 0
) d
CROSS JOIN demo_w w
JOIN demo_slot s ON s.slot = d.slot
JOIN demo_comuna c ON c.cut = s.cut;


-- Indexes are rebuilt after the bulk load (much faster than maintaining
-- them row by row); their definitions are kept as they were.
CREATE TEMP TABLE demo_idx AS
SELECT indexname, indexdef FROM pg_indexes
WHERE schemaname = 'public' AND tablename = 'referenciales'
  AND indexname <> 'referenciales_pkey';
DO $$
DECLARE x record;
BEGIN
    FOR x IN SELECT indexname FROM demo_idx LOOP
        EXECUTE format('DROP INDEX public.%I', x.indexname);
    END LOOP;
END
$$;

-- Inscription numbers grow through the year in each office (gaps: the
-- demo holds a sample of all sales) and fojas follow them. Defects take
-- effect here; duplicates are copied afterwards from the row before them.
INSERT INTO referenciales (id, lat, lng, fojas, numero, anio, cbr, comprador, vendedor,
                           predio, comuna, rol, fechaescritura, superficie, monto,
                           observaciones, "userId", "conservadorId", geom, "createdAt",
                           "updatedAt")
SELECT pg_temp.ref_id(r.i),
       CASE WHEN r.defect = 'swapped_latlng' THEN r.lng ELSE r.lat END,
       CASE WHEN r.defect = 'swapped_latlng' THEN r.lat ELSE r.lng END,
       CASE WHEN r.defect = 'bad_fojas' THEN
                CASE WHEN r.rdv < 0.3 THEN r.fojas::text || 'a'
                     WHEN r.rdv < 0.5 THEN r.fojas::text || ' vta'
                     WHEN r.rdv < 0.7 THEN to_char(r.fojas + 1000, 'FM999G999')
                     WHEN r.rdv < 0.85 THEN r.fojas::text || 'bis'
                     ELSE 'fs. ' || r.fojas END
            ELSE r.fojas::text END,
       r.numero, r.f_anio, r.f_cbr, r.comprador, r.vendedor, r.predio,
       CASE WHEN r.defect = 'comuna_spelling' THEN
                CASE WHEN pg_temp.unaccent(r.comuna) <> r.comuna THEN
                         CASE WHEN r.rdv < 0.5 THEN pg_temp.unaccent(r.comuna)
                              WHEN r.rdv < 0.8 THEN upper(pg_temp.unaccent(r.comuna))
                              ELSE upper(r.comuna) END
                     WHEN r.rdv < 0.6 THEN upper(r.comuna)
                     ELSE lower(r.comuna) END
            WHEN r.defect = 'unknown_comuna' THEN r.w_bad_comuna
            ELSE r.comuna END,
       CASE WHEN r.defect = 'bad_rol' THEN r.w_bad_rol ELSE r.rol END,
       r.f_fecha::timestamp(3),
       r.superficie,
       CASE WHEN r.defect = 'missing_monto' THEN NULL
            WHEN r.defect = 'monto_uf' THEN greatest(1, round(r.superficie * r.ppm2 / 38000))::bigint
            ELSE greatest(1000, round(r.superficie * r.ppm2 / 1000) * 1000)::bigint END,
       r.obs,
       pg_temp.cuid('user', r.user_i),
       r.cons_id,
       CASE WHEN r.defect = 'swapped_latlng' THEN ST_SetSRID(ST_MakePoint(r.lat, r.lng), 4326)
            WHEN r.defect = 'geom_mismatch' AND r.rdv < 0.5 THEN ST_SetSRID(ST_MakePoint(r.lat, r.lng), 4326)
            WHEN r.defect = 'geom_mismatch' THEN
                ST_SetSRID(ST_MakePoint(r.lng + 0.3 + r.rdv, r.lat - 0.2 - r.rdv / 2), 4326)
            ELSE ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326) END,
       r.created::timestamp(3),
       (r.created + CASE WHEN r.i % 7 = 0 THEN (r.i % 90) * interval '1 day' ELSE interval '0' END)::timestamp(3)
FROM (
    SELECT y.*,
           floor(y.numero * 0.78)::bigint + 1 AS fojas,
           -- rows with no user came from the scraper, once the schema allowed them
           CASE WHEN y.user_i IS NULL
                THEN timestamp '2025-06-19 04:00' + y.created_days * (localtimestamp - timestamp '2025-06-19 04:00')
                ELSE timestamp '2024-10-28 12:00' + y.created_days * (localtimestamp - timestamp '2024-10-28 12:00')
           END AS created
    FROM (
        SELECT x.*,
               sum(x.gap) OVER (PARTITION BY x.f_cbr, x.f_anio ORDER BY x.f_fecha, x.i)
                   + abs(hashtext(x.f_cbr || x.f_anio)) % 400 AS numero
        FROM (
            SELECT r0.*,
                   CASE WHEN r0.defect = 'unknown_cbr' THEN w.bad_cbrs[1 + floor(r0.rdv * cardinality(w.bad_cbrs))::int]
                        ELSE r0.cons_nombre END AS f_cbr,
                   f.f_fecha,
                   extract(year FROM f.f_fecha)::int AS f_anio,
                   w.bad_comunas[1 + floor(r0.rdv * cardinality(w.bad_comunas))::int] AS w_bad_comuna,
                   w.bad_rols[1 + floor(r0.rdv * cardinality(w.bad_rols))::int] AS w_bad_rol,
                   CASE r0.kind WHEN 'D' THEN 'Departamento ' || r0.unidad || ', ' || r0.calle || ' ' || r0.nro
                                WHEN 'C' THEN 'Casa, ' || r0.calle || ' ' || r0.nro
                                WHEN 'T' THEN 'Sitio ' || r0.lote || ' de la manzana ' || chr(65 + r0.lote % 12) || ', loteo ' || r0.calle
                                WHEN 'P' THEN 'Parcela ' || r0.lote || ', proyecto de parcelación ' || r0.calle
                                WHEN 'L' THEN 'Local comercial ' || (r0.unidad / 100) || ', ' || r0.calle || ' ' || r0.nro
                                WHEN 'O' THEN 'Oficina ' || r0.unidad || ', ' || r0.calle || ' ' || r0.nro
                                ELSE 'Bodega ' || r0.lote || ' y estacionamiento ' || (r0.lote + 40) || ', ' || r0.calle || ' ' || r0.nro
                   END AS predio,
                   -- m²: built surface for departamentos, oficinas and bodegas, land otherwise
                   round((CASE r0.kind WHEN 'D' THEN 62 WHEN 'C' THEN 190 WHEN 'T' THEN 420
                                       WHEN 'P' THEN 5600 WHEN 'L' THEN 85 WHEN 'O' THEN 70 ELSE 14 END
                          * exp(0.55 * r0.rsup))::numeric, 2)::float8 AS superficie,
                   -- CLP per m² in 2025 by tier and kind, nominal growth of 5.5% a year
                   CASE r0.tier WHEN 'A' THEN 3300000 WHEN 'B' THEN 2300000 WHEN 'C' THEN 1600000
                                WHEN 'D' THEN 1100000 ELSE 650000 END
                   * CASE r0.kind WHEN 'D' THEN 1.0 WHEN 'C' THEN 0.55 WHEN 'T' THEN 0.12
                                  WHEN 'P' THEN 0.015 WHEN 'L' THEN 1.1 WHEN 'O' THEN 1.05 ELSE 0.55 END
                   * power(1.055::float8, extract(year FROM r0.fecha)::int - 2025)
                   * exp(0.4 * r0.rprice) AS ppm2
            FROM demo_ref r0
            CROSS JOIN demo_w w
            CROSS JOIN LATERAL (
                SELECT CASE WHEN r0.defect = 'future_fecha'
                            THEN current_date + 20 + floor(r0.rdv * 700)::int
                            ELSE r0.fecha END AS f_fecha) f
            WHERE r0.defect IS DISTINCT FROM 'duplicate'
        ) x
    ) y
) r;

-- The same sale entered twice: a copy of the row before, by another user,
-- geocoded again a few metres away.
INSERT INTO referenciales (id, lat, lng, fojas, numero, anio, cbr, comprador, vendedor,
                           predio, comuna, rol, fechaescritura, superficie, monto,
                           observaciones, "userId", "conservadorId", geom, "createdAt",
                           "updatedAt")
SELECT d.id, d.lat, d.lng, s.fojas, s.numero, s.anio, s.cbr, s.comprador, s.vendedor,
       s.predio, s.comuna, s.rol, s.fechaescritura, s.superficie, s.monto,
       'Ingresado desde planilla', d."userId", s."conservadorId",
       ST_SetSRID(ST_MakePoint(d.lng, d.lat), 4326), d.created, d.created
FROM (
    SELECT r.i, pg_temp.ref_id(r.i) AS id, pg_temp.ref_id(r.i - 1) AS src,
           round((s.lat + (r.rdv - 0.5) * 0.0006)::numeric, 6)::float8 AS lat,
           round((s.lng + (0.5 - r.rdv) * 0.0006)::numeric, 6)::float8 AS lng,
           pg_temp.cuid('user', 9 + (r.i % 60)) AS "userId",
           (s."createdAt" + (1 + r.rdv * 30) * interval '1 day')::timestamp(3) AS created
    FROM demo_ref r JOIN referenciales s ON s.id = pg_temp.ref_id(r.i - 1)
    WHERE r.defect = 'duplicate'
) d JOIN referenciales s ON s.id = d.src;

DO $$
DECLARE x record;
BEGIN
    FOR x IN SELECT indexdef FROM demo_idx ORDER BY indexname LOOP
        EXECUTE x.indexdef;
    END LOOP;
END
$$;

-- The truth about the defects, for tests and for checking moderation.
CREATE TABLE degux_demo.defects (
    referencial_id text PRIMARY KEY,
    kind text NOT NULL
);
COMMENT ON TABLE degux_demo.defects IS
    'Generated demo defects: the referenciales that were made wrong on purpose, and how';
INSERT INTO degux_demo.defects
SELECT pg_temp.ref_id(i), defect FROM demo_ref WHERE defect IS NOT NULL;

-- ---------------------------------------------------------------------
-- Properties listed by users: every type and status.
-- ---------------------------------------------------------------------
CREATE TEMP TABLE demo_prop AS
SELECT g.i, floor(random() * n.slots)::int AS slot,
       random() AS rt, random() AS rs, random() AS rsup, random() AS rprice,
       random() AS rloc, 2 * pi() * random() AS theta, 3 * sqrt(random()) AS rad,
       9 + floor(power(random(), 2) * (n.users - 8))::int AS user_i,
       random() AS rcreated, floor(random() * 7)::int AS nimg,
       floor(power(random(), 3) * 5000)::int AS views,
       random() AS rfeat, random() AS rcur, random() AS rbed, random() AS rdesc,
       w.calles[1 + floor(random() * cardinality(w.calles))::int] AS calle,
       1 + floor(power(random(), 2) * 4000)::int AS nro
FROM generate_series(1, 20000) g(i) CROSS JOIN demo_n n CROSS JOIN demo_w w
OFFSET 0;

INSERT INTO "Property" (id, "userId", title, description, "propertyType", status, address,
                        commune, region, lat, lng, bedrooms, bathrooms, "parkingSpots",
                        "totalSurface", "builtSurface", price, currency, images,
                        "mainImage", featured, views, "createdAt", "updatedAt")
SELECT p.id, pg_temp.cuid('user', p.user_i),
       CASE p.t
           WHEN 'DEPARTAMENTO' THEN 'Departamento ' || p.bed || 'D/' || p.bath || 'B en ' || p.comuna
           WHEN 'CASA' THEN 'Casa ' || p.bed || 'D/' || p.bath || 'B en ' || p.comuna
           WHEN 'TERRENO' THEN 'Terreno de ' || to_char(p.total, 'FM999G999') || ' m² en ' || p.comuna
           WHEN 'PARCELA' THEN 'Parcela de agrado en ' || p.comuna
           WHEN 'LOCAL_COMERCIAL' THEN 'Local comercial en ' || p.comuna
           WHEN 'OFICINA' THEN 'Oficina en ' || p.comuna
           WHEN 'BODEGA' THEN 'Bodega en ' || p.comuna
           ELSE 'Estacionamiento en ' || p.comuna END,
       CASE WHEN p.rdesc < 0.85 THEN
           (ARRAY['Excelente ubicación, cerca de metro, colegios y comercio.',
                  'Amplio, luminoso y con vista despejada a la cordillera.',
                  'Ideal para inversión: arrendado hasta diciembre.',
                  'Recién remodelado; cocina americana y logia.',
                  'Sector tranquilo, con áreas verdes y plaza a pasos.',
                  'Acceso controlado, piscina y quincho en el condominio.',
                  'Con derechos de agua y factibilidad eléctrica.',
                  'Ubicación estratégica para comercio, alto flujo peatonal.'])[1 + p.i % 8] END,
       p.t::"PropertyType",
       (CASE WHEN p.rs < 0.6 THEN 'available' WHEN p.rs < 0.7 THEN 'reserved'
             WHEN p.rs < 0.9 THEN 'sold' ELSE 'inactive' END)::"PropertyStatus",
       p.calle || ' ' || p.nro || CASE WHEN p.t IN ('DEPARTAMENTO','OFICINA') THEN ', depto ' || (100 * (1 + p.i % 20) + 1 + p.i % 8) ELSE '' END,
       p.comuna, p.region,
       CASE WHEN p.rloc < 0.85 THEN p.lat END,
       CASE WHEN p.rloc < 0.85 THEN p.lng END,
       CASE WHEN p.t IN ('DEPARTAMENTO','CASA') THEN p.bed END,
       CASE WHEN p.t IN ('DEPARTAMENTO','CASA') THEN p.bath
            WHEN p.t IN ('OFICINA','LOCAL_COMERCIAL') THEN 1 END,
       CASE WHEN p.t IN ('DEPARTAMENTO','CASA','OFICINA') THEN p.i % 3 END,
       p.total, p.built,
       CASE WHEN p.rcur < 0.12 THEN greatest(1, round(p.clp / 38000))
            ELSE greatest(100000, round(p.clp / 100000) * 100000) END::bigint,
       CASE WHEN p.rcur < 0.12 THEN 'UF' ELSE 'CLP' END,
       p.images, p.images[1],
       p.rfeat < 0.05, p.views,
       p.created::timestamp(3),
       (p.created + (p.i % 45) * interval '1 day')::timestamp(3)
FROM (
    SELECT q.*,
           CASE WHEN q.t IN ('TERRENO','PARCELA') THEN NULL ELSE q.total * CASE q.t WHEN 'CASA' THEN 0.45 ELSE 1 END END AS built,
           q.total * q.ppm2 AS clp
    FROM (
        SELECT pr.i, pg_temp.cuid('property', pr.i) AS id, pr.user_i, pr.rs, pr.rloc, pr.rcur,
               pr.rfeat, pr.views, pr.rdesc, pr.calle, pr.nro,
               c.comuna, c.region,
               round((c.lat + pr.rad * cos(pr.theta) / 111.32)::numeric, 6)::float8 AS lat,
               round((c.lng + pr.rad * sin(pr.theta) / (111.32 * cos(radians(c.lat))))::numeric, 6)::float8 AS lng,
               t.t,
               1 + floor(pr.rbed * CASE t.t WHEN 'CASA' THEN 5 ELSE 4 END)::int + CASE t.t WHEN 'CASA' THEN 1 ELSE 0 END AS bed,
               1 + floor(pr.rbed * 3)::int AS bath,
               round((CASE t.t WHEN 'DEPARTAMENTO' THEN 65 WHEN 'CASA' THEN 220 WHEN 'TERRENO' THEN 450
                               WHEN 'PARCELA' THEN 5000 WHEN 'LOCAL_COMERCIAL' THEN 90 WHEN 'OFICINA' THEN 75
                               WHEN 'BODEGA' THEN 18 ELSE 13 END
                      * (0.6 + pr.rsup))::numeric, 1)::float8 AS total,
               CASE c.tier WHEN 'A' THEN 3300000 WHEN 'B' THEN 2300000 WHEN 'C' THEN 1600000
                           WHEN 'D' THEN 1100000 ELSE 650000 END
               * CASE t.t WHEN 'TERRENO' THEN 0.12 WHEN 'PARCELA' THEN 0.015 WHEN 'CASA' THEN 0.55
                          WHEN 'BODEGA' THEN 0.5 ELSE 1.0 END
               * (0.8 + 0.4 * pr.rprice) AS ppm2,
               ARRAY(SELECT 'https://res.cloudinary.com/degux/image/upload/v1727712000/properties/'
                            || pg_temp.cuid('property', pr.i) || '/' || k || '.jpg'
                     FROM generate_series(1, pr.nimg) k) AS images,
               timestamp '2025-09-30 16:10' + pr.rcreated * (localtimestamp - timestamp '2025-09-30 16:10') AS created
        FROM demo_prop pr
        JOIN demo_slot s ON s.slot = pr.slot
        JOIN demo_comuna c ON c.cut = s.cut
        CROSS JOIN LATERAL (
            SELECT CASE WHEN pr.rt < 0.35 THEN 'DEPARTAMENTO' WHEN pr.rt < 0.65 THEN 'CASA'
                        WHEN pr.rt < 0.73 THEN 'TERRENO' WHEN pr.rt < 0.80 THEN 'PARCELA'
                        WHEN pr.rt < 0.86 THEN 'LOCAL_COMERCIAL' WHEN pr.rt < 0.92 THEN 'OFICINA'
                        WHEN pr.rt < 0.96 THEN 'BODEGA' ELSE 'OTRO' END AS t) t
    ) q
) p;

-- ---------------------------------------------------------------------
-- Professional network: connection requests in every state.
-- ---------------------------------------------------------------------
INSERT INTO "Connection" (id, "requesterId", "receiverId", status, message, "createdAt", "updatedAt")
SELECT pg_temp.cuid('connection', g.i), pg_temp.cuid('user', g.a), pg_temp.cuid('user', g.b),
       (CASE WHEN g.rs < 0.25 THEN 'pending' WHEN g.rs < 0.85 THEN 'accepted'
             WHEN g.rs < 0.96 THEN 'rejected' ELSE 'blocked' END)::"ConnectionStatus",
       CASE WHEN g.rm < 0.6 THEN
           (ARRAY['Hola, vi tu perfil en degux y me gustaría conectar.',
                  'Trabajo como tasador en la misma zona, conversemos.',
                  '¿Te interesa colaborar en una cartera de propiedades en Ñuñoa?',
                  'Buen día, busco corredores en la Región de Los Ríos.'])[1 + g.i % 4] END,
       (timestamp '2025-09-30 16:10' + g.rc * (localtimestamp - timestamp '2025-09-30 16:10'))::timestamp(3),
       (timestamp '2025-09-30 16:10' + g.rc * (localtimestamp - timestamp '2025-09-30 16:10') + interval '2 days')::timestamp(3)
FROM (
    SELECT i, 1 + floor(random() * 320)::int AS a, 1 + floor(random() * 320)::int AS b,
           random() AS rs, random() AS rm, random() AS rc
    FROM generate_series(1, 3000) i
    OFFSET 0
) g
WHERE g.a <> g.b
ON CONFLICT DO NOTHING;

-- ---------------------------------------------------------------------
-- Offers scraped from the portals, every source.
-- ---------------------------------------------------------------------
INSERT INTO "PropertyListing" (id, source, "sourceUrl", "externalId", title, description,
                               "propertyType", address, commune, region, lat, lng, bedrooms,
                               bathrooms, "parkingSpots", "totalSurface", "builtSurface",
                               price, currency, images, "mainImage", "scrapedAt", "isActive",
                               "createdAt", "updatedAt")
SELECT pg_temp.cuid('listing', l.i), l.src::"ListingSource",
       CASE l.src
           WHEN 'PORTAL_INMOBILIARIO' THEN 'https://www.portalinmobiliario.com/MLC-' || l.ext || '-' || l.slug
           WHEN 'MERCADO_LIBRE' THEN 'https://casa.mercadolibre.cl/MLC-' || l.ext || '-' || l.slug
           WHEN 'TOCTOC' THEN 'https://www.toctoc.com/propiedades/compra/' || lower(l.t) || '/' || l.slug || '/' || l.ext
           WHEN 'YAPO' THEN 'https://www.yapo.cl/inmuebles/' || l.slug || '_' || l.ext
           ELSE 'https://www.facebook.com/marketplace/item/' || l.ext END,
       CASE WHEN l.src IN ('PORTAL_INMOBILIARIO','MERCADO_LIBRE') THEN 'MLC-' || l.ext ELSE l.ext END,
       initcap(lower(replace(l.t, '_', ' '))) || ' en venta, ' || l.comuna,
       CASE WHEN l.i % 3 <> 0 THEN 'Publicación obtenida automáticamente; revisar datos antes de usar.' END,
       l.t::"PropertyType",
       CASE WHEN l.i % 4 <> 0 THEN l.calle || ' ' || l.nro END,
       l.comuna, l.region,
       CASE WHEN l.i % 5 <> 0 THEN l.lat END, CASE WHEN l.i % 5 <> 0 THEN l.lng END,
       CASE WHEN l.t IN ('DEPARTAMENTO','CASA') THEN 1 + l.i % 4 END,
       CASE WHEN l.t IN ('DEPARTAMENTO','CASA') THEN 1 + l.i % 3 END,
       CASE WHEN l.t IN ('DEPARTAMENTO','CASA') THEN l.i % 2 END,
       l.total, CASE WHEN l.t IN ('TERRENO','PARCELA') THEN NULL ELSE l.total END,
       CASE WHEN l.i % 3 = 0 THEN round(l.clp / 38000) ELSE round(l.clp / 100000) * 100000 END::bigint,
       CASE WHEN l.i % 3 = 0 THEN 'UF' ELSE 'CLP' END,
       ARRAY['https://http2.mlstatic.com/D_NQ_NP_' || l.ext || '-MLC' || l.ext || '_' || (l.i % 12 + 1) || '2025-F.jpg'],
       'https://http2.mlstatic.com/D_NQ_NP_' || l.ext || '-MLC' || l.ext || '_' || (l.i % 12 + 1) || '2025-F.jpg',
       l.scraped::timestamp(3), l.ra < 0.8,
       (l.scraped - interval '3 hours')::timestamp(3), l.scraped::timestamp(3)
FROM (
    SELECT g.i,
           (enum_range(NULL::"ListingSource"))[1 + g.i % 5]::text AS src,
           (1400000000 + g.i * 7919)::text AS ext,
           lower(replace(pg_temp.unaccent(c.comuna), ' ', '-')) || '-' || c.cut AS slug,
           (enum_range(NULL::"PropertyType"))[1 + floor(g.rt * 8)::int]::text AS t,
           c.comuna, c.region,
           round((c.lat + g.dy)::numeric, 6)::float8 AS lat,
           round((c.lng + g.dx)::numeric, 6)::float8 AS lng,
           g.calle, g.nro, g.total, g.total * g.ppm2 AS clp, g.ra,
           timestamp '2025-10-08 12:00' + g.rc * (localtimestamp - timestamp '2025-10-08 12:00') AS scraped
    FROM (
        SELECT i, floor(random() * (SELECT slots FROM demo_n))::int AS slot,
               random() AS rt, (random() - 0.5) * 0.05 AS dy, (random() - 0.5) * 0.05 AS dx,
               w.calles[1 + floor(random() * cardinality(w.calles))::int] AS calle,
               1 + floor(random() * 3000)::int AS nro,
               round((40 + random() * 300)::numeric, 1)::float8 AS total,
               600000 + random() * 2500000 AS ppm2, random() AS ra, random() AS rc
        FROM generate_series(1, 3000) i CROSS JOIN demo_w w
        OFFSET 0
    ) g
    JOIN demo_slot s ON s.slot = g.slot
    JOIN demo_comuna c ON c.cut = s.cut
) l;

-- ---------------------------------------------------------------------
-- What users did: the audit trail, the bot conversations, NextAuth's
-- accounts, sessions and pending e-mail verifications.
-- ---------------------------------------------------------------------
INSERT INTO "AuditLog" (id, "userId", action, metadata, "createdAt")
SELECT pg_temp.cuid('audit', a.i), pg_temp.cuid('user', a.u), a.action,
       CASE a.action
           WHEN 'referencial.create' THEN jsonb_build_object('referencialId', pg_temp.ref_id(a.ref), 'ip', a.ip)
           WHEN 'referencial.update' THEN jsonb_build_object('referencialId', pg_temp.ref_id(a.ref), 'ip', a.ip,
                                          'changes', jsonb_build_object('monto', jsonb_build_array(a.ref * 1000, a.ref * 1000 + 2500000)))
           WHEN 'referencial.delete' THEN jsonb_build_object('referencialId', pg_temp.ref_id(a.ref), 'motivo', 'Duplicado')
           WHEN 'export.csv' THEN jsonb_build_object('filas', 100 + a.ref % 5000, 'filtro', 'comuna = Ñuñoa')
           WHEN 'user.role_change' THEN jsonb_build_object('from', 'user', 'to', 'admin', 'target', pg_temp.cuid('user', 3 + a.i % 6))
           ELSE jsonb_build_object('ip', a.ip, 'userAgent', 'Mozilla/5.0 (X11; Linux x86_64)')
       END,
       (timestamp '2024-10-28 12:00' + a.rc * (localtimestamp - timestamp '2024-10-28 12:00'))::timestamp(3)
FROM (
    SELECT i,
           CASE WHEN random() < 0.3 THEN 1 + floor(random() * 8)::int ELSE 1 + floor(random() * 320)::int END AS u,
           (ARRAY['user.login','user.login','user.login','referencial.create','referencial.create',
                  'referencial.update','referencial.delete','export.csv','property.create',
                  'property.update','user.role_change','user.logout'])[1 + floor(random() * 12)::int] AS action,
           1 + floor(random() * (SELECT n FROM demo_n))::int AS ref,
           '190.' || (100 + floor(random() * 150)::int) || '.' || floor(random() * 255)::int || '.' || floor(random() * 255)::int AS ip,
           random() AS rc
    FROM generate_series(1, 6000) i
    OFFSET 0
) a;

INSERT INTO "ChatMessage" (id, "userId", role, content, "createdAt")
SELECT pg_temp.cuid('chat', 2 * c.i - 1 + m.k), pg_temp.cuid('user', c.u),
       (CASE m.k WHEN 0 THEN 'user' ELSE 'bot' END)::"MessageRole",
       CASE m.k
           WHEN 0 THEN (ARRAY['¿Cuál es el precio promedio por m² en ' || c.comuna || '?',
                              '¿Cuántas compraventas hubo en ' || c.comuna || ' el año pasado?',
                              'Necesito referenciales de casas en ' || c.comuna || ' sobre 150 m².',
                              '¿Qué conservador corresponde a ' || c.comuna || '?'])[1 + c.i % 4]
           ELSE (ARRAY['Según las referenciales de los últimos 12 meses, el valor promedio en ' || c.comuna || ' es de ' || (20 + c.i % 70) || ',' || (c.i % 10) || ' UF/m².',
                       'En ' || c.comuna || ' hay ' || (50 + c.i % 900) || ' compraventas inscritas el año pasado.',
                       'Encontré ' || (c.i % 40) || ' referenciales que cumplen ese criterio en ' || c.comuna || '.',
                       'A ' || c.comuna || ' le corresponde el ' || c.cbr || '.'])[1 + c.i % 4]
       END,
       (c.at + m.k * (2 + c.i % 20) * interval '1 second')::timestamp(3)
FROM (
    SELECT q.i, q.u, dc.comuna, dc.cons_nombre AS cbr, q.at
    FROM (
        SELECT i, 9 + floor(power(random(), 2) * 312)::int AS u,
               floor(random() * (SELECT slots FROM demo_n))::int AS slot,
               timestamp '2025-02-16' + random() * (localtimestamp - timestamp '2025-02-16') AS at
        FROM generate_series(1, 2000) i
        OFFSET 0
    ) q
    JOIN demo_slot s ON s.slot = q.slot
    JOIN demo_comuna dc ON dc.cut = s.cut
) c
CROSS JOIN (VALUES (0), (1)) m(k);

INSERT INTO "Account" ("userId", type, provider, "providerAccountId", refresh_token,
                       access_token, expires_at, token_type, scope, id_token,
                       session_state, "createdAt", "updatedAt", id)
SELECT u.id, 'oauth', 'google', (104000000000000000000 + u.n::numeric * 7919)::text,
       CASE WHEN u.n % 4 = 0 THEN '1//0' || substr(md5('refresh' || u.n), 1, 30) END,
       'ya29.a0' || md5('access' || u.n) || md5('token' || u.n),
       (extract(epoch FROM u."createdAt") + 3599)::int,
       'Bearer',
       'openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile',
       'eyJhbGciOiJSUzI1NiIsImtpZCI6IjZ' || md5('id' || u.n) || '.' || md5('sig' || u.n),
       NULL, u."createdAt", u."createdAt", pg_temp.cuid('account', u.n)
FROM (SELECT row_number() OVER (ORDER BY id) AS n, id, "createdAt" FROM "User") u
WHERE u.n % 10 <> 0;

INSERT INTO "Session" (id, "sessionToken", "userId", expires)
SELECT pg_temp.cuid('session', s.i), md5('session-token-' || s.i)::uuid::text,
       pg_temp.cuid('user', 1 + (s.i * 37) % 320),
       -- about a third expired long ago and were never cleaned up
       (localtimestamp + ((s.i % 45) - 15) * interval '1 day')::timestamp(3)
FROM generate_series(1, 180) s(i);

INSERT INTO "VerificationToken" (identifier, token, expires)
SELECT 'nuevo' || t.i || '@gmail.com', md5('verify-' || t.i),
       (localtimestamp + (t.i - 6) * interval '1 hour')::timestamp(3)
FROM generate_series(1, 12) t(i);

-- ---------------------------------------------------------------------
DROP TABLE demo_idx, demo_prop, demo_ref, demo_user, demo_n, demo_slot, demo_comuna,
           demo_tier, demo_pop, demo_w, demo_size;
RESET work_mem;
RESET jit;
RESET client_min_messages;
ANALYZE;
