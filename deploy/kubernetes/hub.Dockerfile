# The hub image: zero-to-jupyterhub's hub with the homeward package (the login cards'
# authenticator). Build from the repository root:
#   docker build -f deploy/kubernetes/hub.Dockerfile -t ghcr.io/homeward-platform/homeward-hub:0.1.0 .
FROM quay.io/jupyterhub/k8s-hub:4.3.1
USER root
COPY widgets /tmp/homeward/widgets
COPY grading /tmp/homeward/grading
COPY pyproject.toml README.md /tmp/homeward/
RUN pip install --no-cache-dir "jupyterhub-nativeauthenticator==1.3.0" "bcrypt==5.0.0" \
    && pip install --no-cache-dir --no-deps /tmp/homeward && rm -rf /tmp/homeward
USER ${NB_USER}
