// Command dex serves Dex's OpenID provider (github.com/dexidp/dex/server, its real OAuth 2 / OIDC
// endpoints, login pages and password database) for the integration tests' auth profile.
//
// Dex's own command (cmd/dex) cannot be built from the Go module proxy: it needs the gRPC API of the
// github.com/dexidp/dex/api/v2 sub-module at its own commit, and the proxy serves only api/v2 v2.4.0,
// which lacks it (see ../README.md). The server package does not use that API, so this entry point
// builds the server itself, from a YAML file in a subset of Dex's own configuration format: issuer,
// storage (postgres only), web.http, oauth2.skipApprovalScreen, expiry.{deviceRequests,idTokens},
// staticClients, enablePasswordDB, staticPasswords; unknown keys are refused. Not Dex's in-memory
// storage: at this version its refresh_token grant deadlocks on it (the grant reads the offline
// session inside the storage's own update transaction, and the memory storage's lock is not
// re-entrant).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	gosundheit "github.com/AppsFlyer/go-sundheit"
	"github.com/ghodss/yaml"

	"github.com/dexidp/dex/server"
	"github.com/dexidp/dex/server/connectors"
	"github.com/dexidp/dex/server/signer"
	"github.com/dexidp/dex/server/tokens"
	"github.com/dexidp/dex/storage"
	"github.com/dexidp/dex/storage/sql"
)

type config struct {
	Issuer  string `json:"issuer"`
	Storage struct {
		Type   string       `json:"type"`
		Config sql.Postgres `json:"config"`
	} `json:"storage"`
	Web struct {
		HTTP string `json:"http"`
	} `json:"web"`
	OAuth2 struct {
		SkipApprovalScreen bool `json:"skipApprovalScreen"`
	} `json:"oauth2"`
	Expiry struct {
		DeviceRequests string `json:"deviceRequests"`
		IDTokens       string `json:"idTokens"`
	} `json:"expiry"`
	StaticClients    []storage.Client `json:"staticClients"`
	EnablePasswordDB bool             `json:"enablePasswordDB"`
	StaticPasswords  []struct {
		Email    string `json:"email"`
		Hash     string `json:"hash"` // bcrypt
		Username string `json:"username"`
		UserID   string `json:"userID"`
	} `json:"staticPasswords"`
}

func main() {
	if len(os.Args) != 3 || os.Args[1] != "serve" {
		fmt.Fprintln(os.Stderr, "usage: dex serve <config.yaml>")
		os.Exit(2)
	}
	if err := serve(os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "dex:", err)
		os.Exit(1)
	}
}

func serve(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	asJSON, err := yaml.YAMLToJSON(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	decoder := json.NewDecoder(bytes.NewReader(asJSON))
	decoder.DisallowUnknownFields()
	var c config
	if err := decoder.Decode(&c); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if c.Issuer == "" || c.Web.HTTP == "" {
		return fmt.Errorf("%s: issuer and web.http are required", path)
	}
	if c.Storage.Type != "postgres" {
		return fmt.Errorf("%s: storage.type must be postgres, not %q", path, c.Storage.Type)
	}
	deviceRequests, err := duration(c.Expiry.DeviceRequests, 5*time.Minute)
	if err != nil {
		return fmt.Errorf("%s: expiry.deviceRequests: %w", path, err)
	}
	idTokens, err := duration(c.Expiry.IDTokens, 24*time.Hour)
	if err != nil {
		return fmt.Errorf("%s: expiry.idTokens: %w", path, err)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	database, err := c.Storage.Config.Open(logger)
	if err != nil {
		return fmt.Errorf("opening the storage: %w", err)
	}
	defer database.Close()
	store := storage.WithStaticClients(database, c.StaticClients)
	if c.EnablePasswordDB {
		passwords := make([]storage.Password, len(c.StaticPasswords))
		for i, p := range c.StaticPasswords {
			passwords[i] = storage.Password{Email: p.Email, Hash: []byte(p.Hash), Username: p.Username, UserID: p.UserID}
		}
		store = storage.WithStaticPasswords(store, passwords, logger)
		store = storage.WithStaticConnectors(store, []storage.Connector{{ID: connectors.LocalConnector, Name: "Email", Type: connectors.LocalConnector}})
	}

	now := func() time.Time { return time.Now().UTC() }
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	signing := signer.LocalConfig{KeysRotationPeriod: "6h"}
	keys, err := signing.Open(ctx, store, idTokens, now, logger)
	if err != nil {
		return err
	}
	refresh, err := tokens.NewRefreshTokenPolicy(logger, false, "", "", "")
	if err != nil {
		return err
	}
	srv, err := server.NewServer(ctx, server.Config{
		Issuer:                 c.Issuer,
		Storage:                store,
		SkipApprovalScreen:     c.OAuth2.SkipApprovalScreen,
		DeviceRequestsValidFor: deviceRequests,
		IDTokensValidFor:       idTokens,
		RefreshTokenPolicy:     refresh,
		Signer:                 keys,
		Logger:                 logger,
		Now:                    now,
		HealthChecker:          gosundheit.New(),
	})
	if err != nil {
		return err
	}
	httpServer := &http.Server{Addr: c.Web.HTTP, Handler: srv, ReadHeaderTimeout: 30 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = httpServer.Shutdown(shutdown)
	}()
	logger.Info("listening", "http", c.Web.HTTP, "issuer", c.Issuer)
	if err := httpServer.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		return err
	}
	return nil
}

func duration(text string, fallback time.Duration) (time.Duration, error) {
	if text == "" {
		return fallback, nil
	}
	return time.ParseDuration(text)
}
